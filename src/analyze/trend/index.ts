export { pointOfFile, trendPoint, TREND_GAP } from './build-trend.js';
