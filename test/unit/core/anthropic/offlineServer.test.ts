import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OFFLINE_SERVER_HEADER, watchOfflineServer } from '../../../../src/core/anthropic/offlineServer';

describe('offline server detection', () => {
  it('hears the header only the offline test/demo server sends, not a loopback proxy', async () => {
    let seen = 0;
    const respond = (headers: Record<string, string>) => async (): Promise<Response> => new Response('{}', { status: 200, headers });
    const proxy = watchOfflineServer(respond({ 'request-id': 'req_1' }), () => seen++);
    await proxy('http://127.0.0.1:8080/v1/models');
    assert.equal(seen, 0, 'a local proxy in front of the API is not the demo');
    const demo = watchOfflineServer(respond({ [OFFLINE_SERVER_HEADER]: 'demo' }), () => seen++);
    const response = await demo('http://127.0.0.1:8080/v1/models');
    assert.equal(seen, 1);
    assert.equal(response.status, 200, 'the response passes through untouched');
  });
});
