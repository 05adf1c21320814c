import { checkCustomer } from './customer-rules';
import { mergeCustomers } from './customer.service';

describe('checkCustomer', () => {
  it('accepts a full, valid customer and names the first bad field with the prefix', () => {
    expect(checkCustomer({ externalRef: 'c', region: 'EU', plan: 'pro', spend: 0, customerSince: new Date(), attributes: { a: 1 } }, 'customer')).toBeNull();
    expect(checkCustomer({ externalRef: 'c', spend: 1e13 }, 'customers.3')?.field).toBe('customers.3.spend');
    expect(checkCustomer({ externalRef: 'c', customerSince: new Date('x') }, '')?.field).toBe('customerSince');
    expect(checkCustomer({ externalRef: 'c', attributes: { big: 'x'.repeat(9_000) } }, '')?.field).toBe('attributes');
  });

  it('refuses refs with leading or trailing whitespace (never trims them); inner spaces are fine', () => {
    for (const ref of [' c', 'c ', '\tc', 'c\n', '\u00a0c', 'c\u2003']) {
      expect(checkCustomer({ externalRef: ref }, 'customers.0')).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'customers.0.externalRef',
        message: 'customers.0.externalRef must not start or end with whitespace',
      });
    }
    expect(checkCustomer({ externalRef: 'crm 42' }, 'customer')).toBeNull();
    expect(checkCustomer({ externalRef: '   ' }, 'customer')?.message).toBe('customer.externalRef must not be empty');
  });

  it('refuses text PostgreSQL cannot store in the ref, the labels and the attributes (keys and values, at any depth)', () => {
    const fieldOf = (c: Record<string, unknown>) => checkCustomer({ externalRef: 'c', ...c } as never, 'customer')?.field ?? null;
    expect(fieldOf({ externalRef: 'c\u0000' })).toBe('customer.externalRef');
    expect(fieldOf({ region: '\u0000' })).toBe('customer.region');
    expect(fieldOf({ plan: 'p\ud800' })).toBe('customer.plan');
    expect(fieldOf({ signupChannel: '\udc00' })).toBe('customer.signupChannel');
    expect(fieldOf({ product: 'a\u0000' })).toBe('customer.product');
    expect(fieldOf({ attributes: { a: ['ok', { b: 'x\u0000' }] } })).toBe('customer.attributes');
    expect(fieldOf({ attributes: { ['\ud800']: 1 } })).toBe('customer.attributes');
    expect(fieldOf({ region: 'Zürich 😀', attributes: { 'ключ': ['значение', 1, null, true] } })).toBeNull();
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
