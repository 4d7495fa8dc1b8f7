/**
 * Import this first in a test file that reads the Lambda log: the logger takes its level when it
 * is first loaded, and the handlers load it.
 */
process.env.LOG_LEVEL = 'DEBUG';
