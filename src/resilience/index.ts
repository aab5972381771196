export { GameDayFault, BlastRadiusUnit } from './faults';
export * from './game-day-props';
export * from './game-day';
