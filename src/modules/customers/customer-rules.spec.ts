import { checkCustomer } from './customer-rules';
import { mergeCustomers } from './customer.service';

describe('checkCustomer', () => {
  it('accepts a full, valid customer and names the first bad field with the prefix', () => {
    expect(checkCustomer({ externalRef: 'c', region: 'EU', plan: 'pro', spend: 0, customerSince: new Date(), attributes: { a: 1 } }, 'customer')).toBeNull();
    expect(checkCustomer({ externalRef: 'c', spend: 1e13 }, 'customers.3')?.field).toBe('customers.3.spend');
    expect(checkCustomer({ externalRef: 'c', customerSince: new Date('x') }, '')?.field).toBe('customerSince');
    expect(checkCustomer({ externalRef: 'c', attributes: { big: 'x'.repeat(9_000) } }, '')?.field).toBe('attributes');
  });
});

describe('mergeCustomers', () => {
  it('folds repeated refs in order: later non-null fields win, attributes merge, nothing is lost', () => {
    const merged = mergeCustomers([
      { externalRef: 'a', region: 'EU', plan: 'basic', attributes: { x: 1, y: 1 } },
      { externalRef: 'b', region: 'NA' },
      { externalRef: 'a', plan: 'pro', region: null, attributes: { y: 2 } },
    ]);
    expect([...merged.keys()]).toEqual(['a', 'b']);
    expect(merged.get('a')).toEqual({ externalRef: 'a', region: 'EU', plan: 'pro', attributes: { x: 1, y: 2 } });
  });

  it('does not mutate its input', () => {
    const input = [{ externalRef: 'a', attributes: { x: 1 } }, { externalRef: 'a', attributes: { x: 2 } }];
    mergeCustomers(input);
    expect(input[0].attributes).toEqual({ x: 1 });
  });
});
