import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileEventPattern, InvalidEventPatternError, matchesEventPattern } from './event-pattern-matcher';

// Events used by the EventBridge user guide ("Event patterns", its "Arrays" and "Null values and empty strings"
// sub-pages, "Content filtering in Amazon EventBridge event patterns" and its "Comparison operators" table).
const ec2TerminatedEvent = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const autoScalingEvent = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

const macieEvent = {
  version: '0',
  id: '3e355723-fca9-4de3-9fd7-154c289d6b59',
  'detail-type': 'Macie Alert',
  source: 'aws.macie',
  account: '123456789012',
  time: '2017-04-24T22:28:49Z',
  region: 'us-east-1',
  resources: [
    'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id/alert/alert_id',
    'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id',
  ],
  detail: {
    'notification-type': 'ALERT_CREATED',
    name: 'Scanning bucket policies',
    tags: ['Custom_Alert', 'Insider'],
    url: 'https://lb00.us-east-1.macie.aws.amazon.com/111122223333/posts/alert_id',
    'alert-arn': 'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id/alert/alert_',
    'risk-score': 80,
    trigger: {
      'rule-arn': 'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id',
      'alert-type': 'basic',
      'created-at': '2017-01-02 19:54:00.644000',
      description: 'Alerting on failed enumeration of large number of bucket policies',
      risk: 8,
    },
    'created-at': '2017-04-18T00:21:12.059000',
  },
};

const ec2PendingEvent = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-abcd1111', state: 'pending' },
};

const withDetail = (detail: Record<string, unknown>): object => ({ ...ec2PendingEvent, detail });

type Row = readonly [name: string, pattern: string | object, event: object, expected: boolean];

const eventPatternsPage: readonly Row[] = [
  ['EC2 instance-termination pattern', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } }, ec2TerminatedEvent, true],
  ['the same pattern does not match a pending instance', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } }, ec2PendingEvent, false],
  ['match values: source aws.ec2 or aws.fargate, EC2 event', { source: ['aws.ec2', 'aws.fargate'] }, ec2TerminatedEvent, true],
  ['match values: source aws.ec2 or aws.fargate, Fargate event', { source: ['aws.ec2', 'aws.fargate'] }, { ...ec2TerminatedEvent, source: 'aws.fargate' }, true],
  ['match values: source aws.ec2 or aws.fargate, Macie event', { source: ['aws.ec2', 'aws.fargate'] }, macieEvent, false],
  ['field matching: responseElements is null', { source: ['aws.autoscaling'], 'detail-type': ['EC2 Instance Launch Successful'], detail: { responseElements: [null] } }, autoScalingEvent, true],
  ['value matching: risk-score 80 and trigger risk 8', { source: ['aws.macie'], 'detail-type': ['Macie Alert'], detail: { 'risk-score': [80], trigger: { risk: [8] } } }, macieEvent, true],
  ['value matching: another trigger risk', { source: ['aws.macie'], 'detail-type': ['Macie Alert'], detail: { 'risk-score': [80], trigger: { risk: [9] } } }, macieEvent, false],
  ['fields absent from the pattern are ignored ("*": "*")', { detail: { state: ['terminated'] } }, ec2TerminatedEvent, true],
  ['every pattern field must be in the event', { detail: { state: ['terminated'], reason: ['shutdown'] } }, ec2TerminatedEvent, false],
  ['the nesting must be the same', { state: ['terminated'] }, ec2TerminatedEvent, false],
  ['strings are matched exactly, without case-folding', { detail: { state: ['Terminated'] } }, ec2TerminatedEvent, false],
  // Null values and empty strings sub-page.
  ['empty string matches eventVersion ""', { detail: { eventVersion: [''] } }, autoScalingEvent, true],
  ['null matches responseElements null', { detail: { responseElements: [null] } }, autoScalingEvent, true],
  ['null and empty string are not interchangeable: "" vs null', { detail: { responseElements: [''] } }, autoScalingEvent, false],
  ['null and empty string are not interchangeable: null vs ""', { detail: { eventVersion: [null] } }, autoScalingEvent, false],
  ['[null] does not match a missing field', { detail: { missing: [null] } }, autoScalingEvent, false],
  // Arrays sub-page.
  [
    'arrays: a non-empty intersection of pattern and event arrays matches',
    { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f', 'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] },
    { resources: ['arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate', 'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
    true,
  ],
  [
    'arrays: an empty intersection does not match',
    { resources: ['arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f'] },
    { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
    false,
  ],
];

const comparisonOperatorsTable: readonly Row[] = [
  ['And: Location is "New York" and Day is "Monday"', { Location: ['New York'], Day: ['Monday'] }, { Location: 'New York', Day: 'Monday' }, true],
  ['And: one field differs', { Location: ['New York'], Day: ['Monday'] }, { Location: 'New York', Day: 'Tuesday' }, false],
  ['Or: PaymentType is "Credit" or "Debit"', { PaymentType: ['Credit', 'Debit'] }, { PaymentType: 'Debit' }, true],
  ['Or: neither value', { PaymentType: ['Credit', 'Debit'] }, { PaymentType: 'Cash' }, false],
  ['Null: UserID is null', { UserID: [null] }, { UserID: null }, true],
  ['Empty: LastName is empty', { LastName: [''] }, { LastName: '' }, true],
  ['Equals: Name is "Alice"', { Name: ['Alice'] }, { Name: 'Alice' }, true],
  ['Equals (ignore case): Name is "Alice"', { Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'ALICE' }, true],
  ['Equals (ignore case): another name', { Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'Alicia' }, false],
  ['Not: Weather is anything but "Raining"', { Weather: [{ 'anything-but': ['Raining'] }] }, { Weather: 'Sunny' }, true],
  ['Not: Weather is "Raining"', { Weather: [{ 'anything-but': ['Raining'] }] }, { Weather: 'Raining' }, false],
  ['Numeric (equals): Price is 100', { Price: [{ numeric: ['=', 100] }] }, { Price: 100 }, true],
  ['Numeric (equals): Price is 100.5', { Price: [{ numeric: ['=', 100] }] }, { Price: 100.5 }, false],
  ['Numeric (range): Price > 10 and <= 20, at 20', { Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: 20 }, true],
  ['Numeric (range): Price > 10 and <= 20, at 10', { Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: 10 }, false],
  ['Exists: ProductName exists', { ProductName: [{ exists: true }] }, { ProductName: 'Unicorn saddle' }, true],
  ['Exists: ProductName absent', { ProductName: [{ exists: true }] }, { Price: 3 }, false],
  ['Does not exist: ProductName absent', { ProductName: [{ exists: false }] }, { Price: 3 }, true],
  ['Does not exist: ProductName present', { ProductName: [{ exists: false }] }, { ProductName: 'Unicorn saddle' }, false],
  ['Begins with: Region is in the US', { Region: [{ prefix: 'us-' }] }, { Region: 'us-east-1' }, true],
  ['Begins with: Region is in Europe', { Region: [{ prefix: 'us-' }] }, { Region: 'eu-west-1' }, false],
  ['Begins with (ignore case): service starts with "eventb"', { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] }, { service: 'EventBridge' }, true],
  ['Begins with (ignore case): another service', { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] }, { service: 'Lambda' }, false],
  ['Ends with: FileName ends with .png', { FileName: [{ suffix: '.png' }] }, { FileName: 'unicorn.png' }, true],
  ['Ends with: FileName ends with .PNG (case matters)', { FileName: [{ suffix: '.png' }] }, { FileName: 'unicorn.PNG' }, false],
  ['Ends with (ignore case): service ends with "tbridge"', { service: [{ suffix: { 'equals-ignore-case': 'tbridge' } }] }, { service: 'EVENTBRIDGE' }, true],
  ['Anything-but (begins with): Region is not in the US', { Region: [{ 'anything-but': { prefix: 'us-' } }] }, { Region: 'eu-west-1' }, true],
  ['Anything-but (begins with): Region is in the US', { Region: [{ 'anything-but': { prefix: 'us-' } }] }, { Region: 'us-west-2' }, false],
  ['Anything-but (ends with): FileName is not a .png', { FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'notes.txt' }, true],
  ['Anything-but (ends with): FileName is a .png', { FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'unicorn.png' }, false],
  ['Anything-but (ignore case): state is "INITIALIZING"', { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, { state: 'INITIALIZING' }, false],
  ['Anything-but (ignore case): state is "running"', { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, { state: 'running' }, true],
  ['Anything-but using a wildcard: path includes /lib/', { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/lib/libc.so' }, false],
  ['Anything-but using a wildcard: path without /lib/', { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/bin/node' }, true],
  ['Wildcard: FileName is under dir and ends with .png', { FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'dir/unicorn.png' }, true],
  ['Wildcard: FileName is a .png elsewhere', { FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'other/unicorn.png' }, false],
  ['Wildcard: an event-bus ARN in any account', { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/wildrydes' }, true],
  ['Wildcard: an event-bus ARN in another region', { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, { EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/wildrydes' }, false],
  ['IP address: in 10.0.0.0/24', { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] }, { sourceIPAddress: '10.0.0.255' }, true],
  ['IP address: outside 10.0.0.0/24', { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] }, { sourceIPAddress: '10.0.1.1' }, false],
  ['IP address: IPv6 in 2001:db8::/64', { sourceIPAddress: [{ cidr: '2001:db8::/64' }] }, { sourceIPAddress: '2001:db8::ff00:42:8329' }, true],
  ['IP address: IPv6 outside 2001:db8::/64', { sourceIPAddress: [{ cidr: '2001:db8::/64' }] }, { sourceIPAddress: '2001:db8:0:1::1' }, false],
];

const contentFilteringPage: readonly Row[] = [
  ['prefix: time starts with 2017-10-02', { time: [{ prefix: '2017-10-02' }] }, { time: '2017-10-02T18:43:48Z' }, true],
  ['prefix: another day', { time: [{ prefix: '2017-10-02' }] }, { time: '2017-10-03T18:43:48Z' }, false],
  ['prefix applies to strings only', { count: [{ prefix: '1' }] }, { count: 12 }, false],
  ['anything-but string: state initializing', { detail: { state: [{ 'anything-but': 'initializing' }] } }, withDetail({ state: 'initializing' }), false],
  ['anything-but string: state running', { detail: { state: [{ 'anything-but': 'initializing' }] } }, withDetail({ state: 'running' }), true],
  ['anything-but needs the field to be present', { detail: { state: [{ 'anything-but': 'initializing' }] } }, withDetail({}), false],
  ['anything-but number: x-limit 123', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, withDetail({ 'x-limit': 123 }), false],
  ['anything-but number: x-limit 124', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, withDetail({ 'x-limit': 124 }), true],
  ['anything-but list of strings: stopped', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, withDetail({ state: 'stopped' }), false],
  ['anything-but list of strings: running', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, withDetail({ state: 'running' }), true],
  ['anything-but list of numbers: 200', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, withDetail({ 'x-limit': 200 }), false],
  ['anything-but list of numbers: 250', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, withDetail({ 'x-limit': 250 }), true],
  ['anything-but prefix: state initializing', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, withDetail({ state: 'initializing' }), false],
  ['anything-but prefix: state running', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, withDetail({ state: 'running' }), true],
  ['anything-but suffix: FileName logs.txt', { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, withDetail({ FileName: 'logs.txt' }), false],
  ['anything-but suffix: FileName data.json', { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, withDetail({ FileName: 'data.json' }), true],
  ['anything-but equals-ignore-case list: Stopped', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] } }, withDetail({ state: 'Stopped' }), false],
  ['anything-but wildcard list: /usr/bin/tool', { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } }, withDetail({ FilePath: '/usr/bin/tool' }), false],
  ['anything-but wildcard list: /etc/tool', { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } }, withDetail({ FilePath: '/etc/tool' }), true],
  ['equals-ignore-case: detail-type', { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, ec2PendingEvent, true],
  ['suffix (ignore case): FileName .PNG', { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, withDetail({ FileName: 'unicorn.PNG' }), true],
  ['numeric: all three fields in range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, withDetail({ 'c-count': 5, 'd-count': 9.5, 'x-limit': 301.8 }), true],
  ['numeric: c-count out of range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, withDetail({ 'c-count': 0, 'd-count': 9.5, 'x-limit': 301.8 }), false],
  ['numeric matches JSON numbers only, never numeric strings', { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, withDetail({ 'd-count': '5' }), false],
  ['numbers are compared as numbers: 301.8 equals 3.018e2', { detail: { 'x-limit': [3.018e2] } }, withDetail({ 'x-limit': 301.8 }), true],
  ['IP address: sourceIPAddress in 10.0.0.0/24', { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, withDetail({ sourceIPAddress: '10.0.0.12' }), true],
  ['IP address: sourceIPAddress outside 10.0.0.0/24', { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, withDetail({ sourceIPAddress: '10.0.2.12' }), false],
  ['exists true: detail.state present', { detail: { state: [{ exists: true }] } }, ec2PendingEvent, true],
  ['exists true: no detail.state', { detail: { state: [{ exists: true }] } }, { 'detail-type': 'EC2 Instance State-change Notification', resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'], detail: { 'c-count': { c1: 100 } } }, false],
  ['exists false: no detail.c-count', { detail: { 'c-count': [{ exists: false }] } }, { 'detail-type': 'EC2 Instance State-change Notification', resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'], detail: { state: ['initializing', 'running'] } }, true],
  ['exists false: detail.c-count is not a leaf', { detail: { 'c-count': [{ exists: false }] } }, { 'detail-type': 'EC2 Instance State-change Notification', resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'], detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } } }, true],
  ['exists true does not match a non-leaf', { detail: { 'c-count': [{ exists: true }] } }, withDetail({ 'c-count': { c1: 100 } }), false],
  [
    'complex example: every condition holds',
    { time: [{ prefix: '2017-10-02' }], detail: { state: [{ 'anything-but': 'initializing' }], 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    { time: '2017-10-02T18:43:48Z', detail: { state: 'running', 'c-count': 3, 'd-count': 1, 'x-limit': 150 } },
    true,
  ],
  [
    'complex example: x-limit is excluded',
    { time: [{ prefix: '2017-10-02' }], detail: { state: [{ 'anything-but': 'initializing' }], 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    { time: '2017-10-02T18:43:48Z', detail: { state: 'running', 'c-count': 3, 'd-count': 1, 'x-limit': 300 } },
    false,
  ],
  [
    '$or: c-count, d-count or x-limit, only d-count holds',
    { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }] } },
    withDetail({ 'c-count': 50, 'd-count': 2 }),
    true,
  ],
  [
    '$or: c-count, d-count or x-limit, none holds',
    { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }] } },
    withDetail({ 'c-count': 50, 'd-count': 20 }),
    false,
  ],
  [
    '$or at the top level beside other fields: source and (metricName or namespace)',
    { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] },
    { source: 'aws.cloudwatch', metricName: 'NetworkIn', namespace: 'AWS/ES' },
    true,
  ],
  [
    '$or at the top level: the AND-ed source differs',
    { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] },
    { source: 'aws.ec2', metricName: 'CPUUtilization', namespace: 'AWS/EC2' },
    false,
  ],
  ['a repeated key: the last one is used (prefix ignored)', '{"detail":{"location":[{"prefix":"us-"}],"location":[{"anything-but":"us-east"}]}}', withDetail({ location: 'eu-west-1' }), true],
  ['a repeated key: the last one is used (anything-but applies)', '{"detail":{"location":[{"prefix":"us-"}],"location":[{"anything-but":"us-east"}]}}', withDetail({ location: 'us-east' }), false],
];

describe('compileEventPattern / matchesEventPattern', () => {
  it.each([...eventPatternsPage, ...comparisonOperatorsTable, ...contentFilteringPage])('%s', (_name, pattern, event, expected) => {
    // Prepare
    const compiled = compileEventPattern(pattern);

    // Act
    const result = matchesEventPattern(compiled, event);

    // Assess
    expect(result).toBe(expected);
  });

  it.each<Row>([
    ['an array field matches when any element matches a nested pattern', { items: { name: ['b'] } }, { items: [{ name: 'a' }, { name: 'b' }] }, true],
    ['nested array elements are matched one at a time (array consistency)', { items: { name: ['a'], size: [2] } }, { items: [{ name: 'a', size: 1 }, { name: 'b', size: 2 }] }, false],
    ['nested arrays in the event are flattened', { tags: ['x'] }, { tags: [['w', ['x']]] }, true],
    ['an empty array holds no leaf: exists false matches', { tags: [{ exists: false }] }, { tags: [] }, true],
    ['an empty array holds no leaf: exists true does not match', { tags: [{ exists: true }] }, { tags: [] }, false],
    ['exists false matches when the parent object is missing', { detail: { state: [{ exists: false }] } }, { source: 'x' }, true],
    ['booleans match exactly', { detail: { ok: [true] } }, withDetail({ ok: true }), true],
    ['a boolean does not match the string "true"', { detail: { ok: [true] } }, withDetail({ ok: 'true' }), false],
    ['the number 5 does not match the string "5"', { detail: { n: [5] } }, withDetail({ n: '5' }), false],
    ['the string "5" does not match the number 5', { detail: { n: ['5'] } }, withDetail({ n: 5 }), false],
    ['wildcard \\* is a literal star', { name: [{ wildcard: 'a\\*b' }] }, { name: 'a*b' }, true],
    ['wildcard \\* does not match other text', { name: [{ wildcard: 'a\\*b' }] }, { name: 'axb' }, false],
    ['wildcard dots are literal', { name: [{ wildcard: 'a.c' }] }, { name: 'abc' }, false],
    ['$or nested inside $or', { $or: [{ a: ['1'] }, { $or: [{ b: ['2'] }, { c: ['3'] }] }] }, { c: '3' }, true],
    ['Object.prototype names are ordinary keys', { constructor: [{ exists: false }] }, {}, true],
    ['cidr without a prefix length is one address', { ip: [{ cidr: '192.168.1.7' }] }, { ip: '192.168.1.7' }, true],
    ['cidr /0 matches every IPv4 address', { ip: [{ cidr: '0.0.0.0/0' }] }, { ip: '203.0.113.9' }, true],
    ['cidr does not match a non-address', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: 'not-an-ip' }, false],
    ['exact and operator alternatives are OR-ed', { state: ['stopped', { prefix: 'run' }] }, { state: 'running' }, true],
  ])('%s', (_name, pattern, event, expected) => {
    expect(matchesEventPattern(compileEventPattern(pattern), event)).toBe(expected);
  });

  it.each<readonly [string, unknown, string]>([
    ['a pattern that is not JSON', '{"source": ', 'not valid JSON'],
    ['a pattern that is not an object', '["aws.ec2"]', 'must be a JSON object'],
    ['a leaf value that is not an array', { source: 'aws.ec2' }, 'inside a JSON array'],
    ['an empty array', { source: [] }, 'empty arrays'],
    ['an empty object', { detail: {} }, 'empty objects'],
    ['an unknown operator', { source: [{ regex: '.*' }] }, 'unrecognized match type "regex"'],
    ['an operator object with two keys', { source: [{ prefix: 'a', suffix: 'b' }] }, 'exactly one key'],
    ['prefix with a number', { source: [{ prefix: 5 }] }, '"prefix" takes a string'],
    ['suffix with an unknown nested form', { source: [{ suffix: { wildcard: 'x' } }] }, '"suffix" takes a string or'],
    ['equals-ignore-case with a number', { source: [{ 'equals-ignore-case': 1 }] }, '"equals-ignore-case" takes a string'],
    ['exists with a string', { source: [{ exists: 'true' }] }, '"exists" takes true or false'],
    ['numeric with an unknown operator', { n: [{ numeric: ['!=', 1] }] }, 'unrecognized numeric operator'],
    ['numeric with a string bound', { n: [{ numeric: ['>', '1'] }] }, 'must be a number'],
    ['numeric with three elements', { n: [{ numeric: ['>', 1, '<'] }] }, '"numeric" takes'],
    ['numeric range with bounds reversed', { n: [{ numeric: ['>', 10, '<', 5] }] }, 'bottom must be less than top'],
    ['numeric range with two lower bounds', { n: [{ numeric: ['>', 1, '>=', 5] }] }, 'lower bound'],
    ['numeric "=" inside a range', { n: [{ numeric: ['=', 1, '<', 5] }] }, 'lower bound'],
    ['anything-but with a boolean', { s: [{ 'anything-but': true }] }, '"anything-but" takes'],
    ['anything-but with a mixed list', { s: [{ 'anything-but': ['a', 1] }] }, 'only strings or only numbers'],
    ['anything-but with an empty list', { s: [{ 'anything-but': [] }] }, 'only strings or only numbers'],
    ['anything-but with an unknown nested operator', { s: [{ 'anything-but': { numeric: ['>', 1] } }] }, 'exactly one of'],
    ['anything-but prefix with a number', { s: [{ 'anything-but': { prefix: 1 } }] }, '"anything-but.prefix" takes a string'],
    ['wildcard with consecutive stars', { s: [{ wildcard: 'a**b' }] }, 'consecutive wildcard'],
    ['cidr that is not an address', { ip: [{ cidr: '10.0.0/24' }] }, 'not a valid IPv4 or IPv6 CIDR'],
    ['cidr with a prefix too long', { ip: [{ cidr: '10.0.0.0/33' }] }, 'not a valid IPv4 or IPv6 CIDR'],
    ['$or that is not an array', { $or: { a: ['1'] } }, '"$or" must be an array'],
    ['$or with one branch', { $or: [{ a: ['1'] }] }, '"$or" must be an array'],
    ['a match value that is an array', { source: [['aws.ec2']] }, 'match values must be'],
  ])('rejects %s', (_name, pattern, message) => {
    // Act
    const compile = (): unknown => compileEventPattern(pattern as string | object);

    // Assess
    expect(compile).toThrow(InvalidEventPatternError);
    expect(compile).toThrow(message);
  });

  it('gives the error the code EventBridge answers with', () => {
    // Act
    const error = captureError(() => compileEventPattern({ source: 'aws.ec2' }));

    // Assess
    expect(error).toMatchObject({ code: 'InvalidEventPatternException', message: expect.stringContaining('at "source"') });
  });
});

describe('matcher properties', () => {
  const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== '$or');
  const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
  const leaf = fc.oneof(scalar, fc.array(scalar, { minLength: 1, maxLength: 4 }));
  const event = fc.letrec((tie) => ({
    node: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, leaf, tie('node')), { minKeys: 1, maxKeys: 5 }),
  })).node as fc.Arbitrary<Record<string, unknown>>;

  /** A pattern of the event's own leaves: every scalar becomes `[value]`, every array `[one of its values]`. */
  function patternOf(value: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (Array.isArray(v)) return [k, [v[v.length - 1]]];
        if (typeof v === 'object' && v !== null) return [k, patternOf(v as Record<string, unknown>)];
        return [k, [v]];
      }),
    );
  }

  it('a pattern built from an event’s own leaf values matches that event', () => {
    fc.assert(fc.property(event, (e) => matchesEventPattern(compileEventPattern(patternOf(e)), e)));
  });

  it('the same pattern compiles and matches the same way from JSON text and from an object', () => {
    fc.assert(
      fc.property(event, event, (a, b) => {
        const pattern = patternOf(a);
        const fromObject = matchesEventPattern(compileEventPattern(pattern), b);
        const fromText = matchesEventPattern(compileEventPattern(JSON.stringify(pattern)), b);
        return fromObject === fromText;
      }),
    );
  });

  it('exact value and anything-but of that value split every present string in two', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (expected, actual) => {
        const exact = matchesEventPattern(compileEventPattern({ f: [expected] }), { f: actual });
        const not = matchesEventPattern(compileEventPattern({ f: [{ 'anything-but': expected }] }), { f: actual });
        return exact !== not;
      }),
    );
  });

  it('exists true and exists false never agree', () => {
    fc.assert(
      fc.property(fc.option(fc.oneof(leaf, fc.constant({ nested: 1 })), { nil: undefined }), (value) => {
        const e = value === undefined ? {} : { f: value };
        return matchesEventPattern(compileEventPattern({ f: [{ exists: true }] }), e)
          !== matchesEventPattern(compileEventPattern({ f: [{ exists: false }] }), e);
      }),
    );
  });

  it('a numeric range agrees with plain comparisons', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), fc.double({ noNaN: true }), (a, b, x) => {
        fc.pre(a < b);
        const pattern = compileEventPattern({ n: [{ numeric: ['>=', a, '<', b] }] });
        return matchesEventPattern(pattern, { n: x }) === (x >= a && x < b);
      }),
    );
  });

  it('prefix and suffix agree with startsWith and endsWith, and a starred wildcard with both', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (head, middle, tail) => {
        const value = `${head}${middle}${tail}`;
        const escape = (s: string): string => s.replace(/[\\*]/g, '\\$&');
        return matchesEventPattern(compileEventPattern({ f: [{ prefix: head }] }), { f: value })
          && matchesEventPattern(compileEventPattern({ f: [{ suffix: tail }] }), { f: value })
          && matchesEventPattern(compileEventPattern({ f: [{ wildcard: `${escape(head)}*${escape(tail)}` }] }), { f: value });
      }),
    );
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
