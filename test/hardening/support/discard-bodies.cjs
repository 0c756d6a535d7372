'use strict';
/**
 * autocannon's setupClient for the load test, loaded by path in its worker thread. autocannon
 * keeps every response body as a string (`req.body += chunk`) for per-response callbacks the
 * test does not use; for multi-megabyte /metrics bodies that decoding and concatenation made
 * the load generator, not the exporter, the bottleneck. Latency is still measured from request
 * to the last byte; the bytes are just not kept.
 */
module.exports = function discardBodies(client) {
  client.pipelinedRequests.addBody = function discard() {};
};
