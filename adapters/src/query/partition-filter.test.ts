import { describe, expect, it } from 'vitest';
import { dtPartitionPredicate, tablesReferenced } from './partition-filter';

const DAYS = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23'];
const kept = (sql: string) => DAYS.filter(dtPartitionPredicate(sql, 'wildrydes'));

describe('dtPartitionPredicate', () => {
  it.each([
    ["SELECT * FROM wildrydes WHERE dt = '2026-11-21'", ['2026-11-21']],
    ["select * from wildrydes where DT >= '2026-11-22'", ['2026-11-22', '2026-11-23']],
    ["SELECT * FROM wildrydes WHERE dt > '2026-11-22'", ['2026-11-23']],
    ["SELECT * FROM wildrydes WHERE dt < '2026-11-21'", ['2026-11-20']],
    ["SELECT * FROM wildrydes WHERE dt >= '2026-11-21' AND dt <= '2026-11-22' ORDER BY 1", ['2026-11-21', '2026-11-22']],
    ["SELECT * FROM wildrydes WHERE dt BETWEEN '2026-11-21' AND '2026-11-22'", ['2026-11-21', '2026-11-22']],
    ["SELECT * FROM wildrydes WHERE dt IN ('2026-11-20', '2026-11-23')", ['2026-11-20', '2026-11-23']],
    ["SELECT * FROM wildrydes w WHERE w.dt = '2026-11-21'", ['2026-11-21']],
    ["SELECT * FROM wildrydes WHERE \"dt\" = '2026-11-21'", ['2026-11-21']],
    ["SELECT * FROM wildrydes WHERE dt >= '2026-11-22' AND (HealthPoints < 100 OR MagicPoints < 100)", ['2026-11-22', '2026-11-23']],
    ["SELECT * FROM wildrydes WHERE (dt = '2026-11-21') AND Name = 'x'", ['2026-11-21']],
    ["SELECT * FROM wildrydes WHERE ((dt = '2026-11-21' AND Name = 'x'))", ['2026-11-21']],
    ["SELECT Name, SUM(Distance) FROM wildrydes WHERE dt = '2026-11-21' GROUP BY Name HAVING SUM(Distance) > 0", ['2026-11-21']],
  ])('narrows %s', (sql, expected) => {
    expect(kept(sql)).toEqual(expected);
  });

  it.each([
    ['no WHERE', 'SELECT * FROM wildrydes'],
    ['OR beside the filter', "SELECT * FROM wildrydes WHERE dt = '2026-11-21' OR Name = 'x'"],
    ['AND binding tighter than an earlier OR', "SELECT * FROM wildrydes WHERE Name = 'x' OR HealthPoints < 5 AND dt = '2026-11-21'"],
    ['OR inside the same group', "SELECT * FROM wildrydes WHERE (dt = '2026-11-21' OR Name = 'x')"],
    ['NOT', "SELECT * FROM wildrydes WHERE NOT dt = '2026-11-21'"],
    ['NOT around a group', "SELECT * FROM wildrydes WHERE NOT (dt = '2026-11-21' AND Name = 'x')"],
    ['a function call', "SELECT * FROM wildrydes WHERE coalesce(dt = '2026-11-21', true)"],
    ['a compared group', "SELECT * FROM wildrydes WHERE (dt = '2026-11-21') = false"],
    ['a subquery', "SELECT * FROM wildrydes WHERE dt = '2026-11-21' AND Name IN (SELECT Name FROM unicorn_alerts)"],
    ['a self join', "SELECT * FROM wildrydes a JOIN wildrydes b ON a.Name = b.Name WHERE a.dt = '2026-11-21'"],
    ['a filter only in SELECT', "SELECT CASE WHEN dt = '2026-11-21' THEN 1 END FROM wildrydes"],
    ['a filter in a comment', "SELECT * FROM wildrydes -- WHERE dt = '2026-11-21'"],
    ['a DATE literal', "SELECT * FROM wildrydes WHERE dt = DATE '2026-11-21'"],
    ['inequality', "SELECT * FROM wildrydes WHERE dt <> '2026-11-21'"],
  ])('keeps every partition with %s', (_, sql) => {
    expect(kept(sql)).toEqual(DAYS);
  });
});

describe('tablesReferenced', () => {
  it('finds table names as words, not inside strings or comments', () => {
    const sql = "SELECT 'unicorn_alerts' FROM wildrydes /* unicorn_alerts */ -- unicorn_alerts";
    expect(tablesReferenced(sql, ['wildrydes', 'unicorn_alerts'])).toEqual(['wildrydes']);
  });
});
