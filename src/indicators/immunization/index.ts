// Public surface of the immunization module (schedule data, vaccine names, due dates, computation, catalogue entries).
export * from './schedule.js';
export * from './compute.js';
export * from './definitions.js';
export { addAgeInt, ageInYears, dateToInt, intToDate } from './dates.js';
