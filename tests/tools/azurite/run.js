// Starts Azurite's blob service with the arguments given, and exits when standard input closes, so that a test
// process that dies without cleaning up never leaves an emulator running.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
require('azurite/dist/src/blob/main.js');
