import { stem } from './stem';

describe('stem', () => {
  it.each([
    [['price', 'prices', 'priced', 'pricing']],
    [['charge', 'charges', 'charged', 'charging']],
    [['ship', 'ships', 'shipped', 'shipping']],
    [['bill', 'bills', 'billed', 'billing']],
    [['wait', 'waits', 'waited', 'waiting']],
    [['delivery', 'deliveries']],
    [['deliver', 'delivers', 'delivered', 'delivering']],
    [['reply', 'replies', 'replied', 'replying']],
    [['fix', 'fixes', 'fixed', 'fixing']],
    [['crash', 'crashes', 'crashed', 'crashing']],
    [['box', 'boxes']],
    [['resolve', 'resolves', 'resolved', 'resolving']],
    [['queue', 'queues', 'queued']],
    [['arrive', 'arrives', 'arrived', 'arriving']],
    [['care', 'cares', 'cared', 'caring']],
    [['rate', 'rated', 'rating']],
  ])('folds %j into one stem', (words) => {
    expect(new Set(words.map(stem)).size).toBe(1);
  });

  it.each([
    ['address', 'address'],
    ['status', 'status'],
    ['analysis', 'analysis'],
    ['thing', 'thing'],
    ['bring', 'bring'],
    ['need', 'need'],
    ['agreed', 'agreed'],
    ['app', 'app'],
    ['friendly', 'friendly'],
  ])('leaves %s as %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it('keeps words apart that only look alike', () => {
    expect(stem('delivery')).not.toBe(stem('deliver'));
    expect(stem('shipment')).not.toBe(stem('ship'));
    expect(stem('charger')).not.toBe(stem('charge'));
    expect(stem('car')).not.toBe(stem('caring'));
    expect(stem('fixing')).toBe('fix');
  });
});
