// Debian's Chromium as the browser tests and the page benchmark start it: headless, and asking nothing of the
// network beyond the portal (this machine's network is closed; without these flags Chromium keeps trying).
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];
