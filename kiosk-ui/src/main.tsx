import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { KioskConnection } from './connection/connection.ts';
import { createSocketPort } from './connection/socket.ts';
import { lockKioskGestures } from './kiosk-mode.ts';
import './styles.css';

lockKioskGestures(window);
const connection = new KioskConnection(createSocketPort());
connection.start();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App connection={connection} />
    </StrictMode>,
  );
}
