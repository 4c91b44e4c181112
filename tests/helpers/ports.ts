// A free TCP port on loopback, for the test servers, benchmarks and evaluation runs that start their own.
export { freePort } from '../../src/lib/server/process-alive';
