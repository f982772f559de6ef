import { pageOf, requestedPage } from '../../src/shared/pages';

describe('a list a card cannot hold whole, a page at a time', () => {
  const items = Array.from({ length: 120 }, (_, i) => i + 1);

  it('cuts pages of the size asked, the last one short, and says where each sits', () => {
    expect(pageOf(items, 1, 50)).toMatchObject({ page: 1, pages: 3, from: 1, to: 50, total: 120 });
    expect(pageOf(items, 3, 50)).toMatchObject({ items: items.slice(100), page: 3, from: 101, to: 120 });
  });

  it('reads a page past the end as the last and anything below 1 as the first', () => {
    expect(pageOf(items, 99, 50).page).toBe(3);
    expect(pageOf(items, 0, 50).items[0]).toBe(1);
    expect(pageOf([], 4, 50)).toEqual({ items: [], page: 1, pages: 1, from: 0, to: 0, total: 0 });
  });

  it('takes a submitted page as a positive whole number and 1 for anything else', () => {
    expect(requestedPage({ page: '2' })).toBe(2);
    for (const page of [undefined, 'abc', '-1', '1.5', { x: 1 }]) expect(requestedPage({ page })).toBe(1);
    expect(requestedPage('2')).toBe(1);
  });
});
