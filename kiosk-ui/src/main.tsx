import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { KioskConnection } from './connection/connection.ts';
import { deviceToken } from './connection/device-token.ts';
import { createSocketPort } from './connection/socket.ts';
import { lockKioskGestures } from './kiosk-mode.ts';
import './styles.css';

lockKioskGestures(window);
const token = deviceToken(window.location, window.sessionStorage, window.history);
const connection = new KioskConnection(createSocketPort(token ? { deviceToken: token } : {}));
connection.start();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App connection={connection} />
    </StrictMode>,
  );
}
