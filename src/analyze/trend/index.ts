export { pointOfFile, trendPoint, TREND_GAP, vouchedPoints } from './build-trend.js';
