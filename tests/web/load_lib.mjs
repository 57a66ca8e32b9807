// Loads the dashboard's lib/ scripts the way the page does (each registers itself on
// globalThis.cryptomood) and hands the namespace to the unit tests.
import '../../web/static/lib/format.js';
import '../../web/static/lib/state.js';
import '../../web/static/lib/api.js';
import '../../web/static/lib/lead_lag.js';
import '../../web/static/lib/chart_data.js';
import '../../web/static/lib/live.js';

export const { format, state, api, leadLag, chartData, live } = globalThis.cryptomood;
