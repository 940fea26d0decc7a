import { render } from 'preact';
import { App } from './app';
import { registerServiceWorker } from './offline/device';
import './styles.css';

render(<App />, document.getElementById('app')!);
registerServiceWorker();
