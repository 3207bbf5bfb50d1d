import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { StaffApp } from './StaffApp.tsx';
// The kiosk's design tokens (colours, font, focus halo) first, then the console's own sizes and parts.
import '../styles.css';
import './staff.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StaffApp />
  </StrictMode>,
);
