/** The inspector: a terminal UI over a recordings database (`runtape inspect`). */
export { openInspector, type Inspector, type InspectorOptions } from './inspector.js';
export { headlessScreen } from './widgets/screen.js';
