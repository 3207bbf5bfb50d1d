import { createRoot } from 'react-dom/client';
import { StaffApp } from './StaffApp.tsx';
import './staff.css';

createRoot(document.getElementById('root')!).render(<StaffApp />);
