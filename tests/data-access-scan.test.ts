import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Code under src/modules reaches the database only through the request context: ctx.em (the
 * request's manager, or its transaction's), ctx.reports, and transaction(ctx, fn) from
 * src/transaction.ts. A manager or data source taken any other way could run outside the caller's
 * transaction (on the one-connection embedded database: wait forever for the connection that
 * transaction holds). This reads the syntax tree of every file, so comments and strings do not count.
 */

const MODULES = path.resolve(__dirname, '../src/modules');

/** Uses that are deliberate, with the reason. */
const ALLOWED: { file: string; text: string; why: string }[] = [
  {
    file: 'reporting/facts/rollup-rebuild.ts',
    text: 'db.transaction',
    why: 'rollup maintenance is not request work: the CLI and tests hand in a database (Transactional) with transactions of its own',
  },
  {
    file: 'closed-loop/closed-loop-counters.ts',
    text: 'db.transaction',
    why: 'the closed-loop counters rebuild (npm run rollups -- rebuild) is maintenance as well, handed a database by the CLI and tests',
  },
  {
    file: 'invitations/invitation-rollup.ts',
    text: 'db.transaction',
    why: 'the invitation rollup rebuild (npm run rollups -- rebuild) is the same maintenance, handed a database by the CLI and tests',
  },
];

interface Finding {
  file: string;
  line: number;
  text: string;
  rule: string;
}

const DATA_SOURCE = new Set(['ds', 'dataSource']);
const TYPES = new Set(['EntityManager', 'DataSource', 'QueryRunner']);

/** The name a property access is made on: `x` in `x.y`, `b` in `a.b.y`. */
function targetName(expr: ts.Expression): string | undefined {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  return undefined;
}

function scanSource(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const out: Finding[] = [];
  const report = (node: ts.Node, rule: string) =>
    out.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: node.getText(sf), rule });
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node)) {
      const name = node.name.text;
      const on = targetName(node.expression);
      if (DATA_SOURCE.has(name) || (ts.isIdentifier(node.expression) && DATA_SOURCE.has(node.expression.text))) report(node, 'uses the data source');
      else if (name === 'manager') report(node, 'takes a manager that is not the context\'s (ctx.em)');
      else if (name === 'getRepository' && on !== 'em') report(node, 'gets a repository that is not on the context\'s manager (ctx.em)');
      else if (name === 'transaction' || name === 'createQueryRunner') report(node, 'opens a transaction other than through transaction(ctx, fn)');
      else if (name === 'reports' && on === 'deps') report(node, 'uses the reporting runner without the context (ctx.reports)');
    }
    if ((ts.isTypeReferenceNode(node) && TYPES.has(node.typeName.getText(sf))) || (ts.isImportSpecifier(node) && TYPES.has(node.name.text))) {
      report(node, 'names a manager or data source type: take ctx and use ctx.em');
    }
    // transaction(ctx, async (ctx) => ...): the callback's context shadows the outer one, so nothing inside can reach it.
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'transaction') {
      const fn = node.arguments[1];
      const param = fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ? fn.parameters[0] : undefined;
      if (!param || param.name.getText(sf) !== 'ctx') report(node.expression, "names the transaction's context other than ctx (the outer context stays reachable inside)");
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function moduleFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return moduleFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [full] : [];
  });
}

describe('data access in src/modules goes through the request context', () => {
  it('the scan catches each way around the context, and lets the context through', () => {
    const bad = [
      'this.deps.ds.query("SELECT 1")',
      'ctx.services.deps.ds.manager.query("SELECT 1")',
      'const { ds } = this.deps; ds.getRepository(X)',
      'dataSource.query("SELECT 1")',
      'runner.manager.query("SELECT 1")',
      'this.repoOf(X).getRepository(X)',
      'ctx.em.transaction(async (em) => 1)',
      'x.createQueryRunner()',
      'reportsOf(this.deps.reports)',
      'function f(em: EntityManager) {}',
      "import { DataSource } from 'typeorm';",
      'transaction(ctx, async (tx) => tx.em.query("SELECT 1"))',
    ];
    for (const code of bad) expect([code, scanSource('x.ts', code).length > 0]).toEqual([code, true]);
    const good = [
      'ctx.em.query("SELECT 1")',
      'ctx.em.getRepository(X).findOneBy({ id })',
      'ctx.reports.query("SELECT 1")',
      'transaction(ctx, async (ctx) => ctx.em.query("SELECT 1"))',
      '// ds.manager in a comment',
      'const s = "deps.ds.query";',
    ];
    for (const code of good) expect([code, scanSource('x.ts', code)]).toEqual([code, []]);
  });

  it('finds no data source, manager or transaction taken outside the context', () => {
    const files = moduleFiles(MODULES);
    expect(files.length).toBeGreaterThan(100);
    const findings = files
      .flatMap((f) => scanSource(path.relative(MODULES, f), fs.readFileSync(f, 'utf8')))
      .filter((x) => !ALLOWED.some((a) => a.file === x.file && a.text === x.text));
    expect(findings.map((x) => `${x.file}:${x.line} ${x.text} — ${x.rule}`)).toEqual([]);
  });
});
