import { describe, expect, it } from 'vitest';
import { parseListPage } from '../../../src/orq/wire/list-page.js';

describe('parseListPage', () => {
  it('reads the reference page envelope with has_more, absent meaning false', () => {
    expect(parseListPage({ object: 'list', data: [1, 2], has_more: true })).toEqual({ ok: true, items: [1, 2], hasMore: true });
    expect(parseListPage({ object: 'list', data: [] })).toEqual({ ok: true, items: [], hasMore: false });
    expect(parseListPage({ object: 'list', data: [1], has_more: null })).toEqual({ ok: true, items: [1], hasMore: false });
  });

  it('reads the budgets API envelope, whose flag is camelCase', () => {
    expect(parseListPage({ object: 'list', data: [1], hasMore: true })).toEqual({ ok: true, items: [1], hasMore: true });
  });

  it('reads a bare array (the SDK and the release candidate) with no has_more at all', () => {
    expect(parseListPage([{ id: 'a' }])).toEqual({ ok: true, items: [{ id: 'a' }], hasMore: undefined });
    expect(parseListPage([])).toEqual({ ok: true, items: [], hasMore: undefined });
  });

  it.each([
    [null, 'expected a JSON object or array, got null'],
    ['list', 'expected a JSON object or array, got a string'],
    [{ items: 5 }, 'expected "data" to be an array, got nothing'],
    [{ data: {} }, 'expected "data" to be an array, got an object'],
    [{ data: [], has_more: 'yes' }, 'expected "has_more" to be a boolean, got a string'],
    [{ data: [], hasMore: 1 }, 'expected "has_more" to be a boolean, got a number'],
  ])('refuses %j', (body, problem) => {
    expect(parseListPage(body)).toEqual({ ok: false, problem });
  });
});
