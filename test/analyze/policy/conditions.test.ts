import { describe, expect, it } from 'vitest';
import {
  describeClause,
  evaluateClause,
  parseConditionBlock,
  type ConditionClause,
} from '../../../src/analyze/policy/conditions.js';

const SSE = 's3:x-amz-server-side-encryption';

function clause(operator: string, values: string[], key = SSE): ConditionClause {
  return { operator, key: key.toLowerCase(), keyAsWritten: key, values };
}

describe('parseConditionBlock', () => {
  it('splits operators and keys into clauses, lower-casing keys and stringifying values', () => {
    expect(
      parseConditionBlock({ Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 's3:TlsVersion': 1.2 } }),
    ).toEqual({
      clauses: [
        { operator: 'Bool', key: 'aws:securetransport', keyAsWritten: 'aws:SecureTransport', values: ['false'] },
        { operator: 'NumericLessThan', key: 's3:tlsversion', keyAsWritten: 's3:TlsVersion', values: ['1.2'] },
      ],
    });
    const two = parseConditionBlock({
      StringNotEquals: { [SSE]: ['AES256', 'aws:kms'], 'aws:PrincipalAccount': '111122223333' },
    });
    expect('clauses' in two && two.clauses.map((c) => [c.key, c.values])).toEqual([
      [SSE, ['AES256', 'aws:kms']],
      ['aws:principalaccount', ['111122223333']],
    ]);
  });
  it('treats a missing Condition as no clauses', () => {
    expect(parseConditionBlock(undefined)).toEqual({ clauses: [] });
  });
  it('rejects malformed blocks', () => {
    expect(parseConditionBlock('Bool')).toEqual({ error: 'has a Condition that is not a JSON object' });
    expect(parseConditionBlock({ Bool: 'false' })).toEqual({
      error: 'has a Condition operator Bool whose value is not a JSON object',
    });
    expect(parseConditionBlock({ Bool: { 'aws:SecureTransport': { x: 1 } } })).toEqual({
      error: 'has a Condition value for aws:SecureTransport that is not a string, number or boolean',
    });
  });
});

describe('evaluateClause', () => {
  const table: Array<[string, string[], string | undefined, boolean | 'unknown']> = [
    // negated operators are true when the key is missing
    ['StringNotEquals', ['aws:kms'], undefined, true],
    ['StringNotEquals', ['aws:kms'], 'aws:kms', false],
    ['StringNotEquals', ['aws:kms'], 'AES256', true],
    ['StringNotEquals', ['AES256', 'aws:kms'], 'aws:kms', false],
    ['StringNotEquals', ['AES256', 'aws:kms'], 'aws:kms:dsse', true],
    ['StringNotEqualsIfExists', ['aws:kms:dsse'], undefined, true],
    ['StringNotEqualsIfExists', ['aws:kms:dsse'], 'aws:kms:dsse', false],
    ['StringNotLike', ['aws:kms*'], undefined, true],
    ['StringNotLike', ['aws:kms*'], 'aws:kms:dsse', false],
    // positive operators are false when the key is missing, unless ...IfExists
    ['StringEquals', ['AES256'], undefined, false],
    ['StringEquals', ['AES256'], 'AES256', true],
    ['StringEquals', ['AES256'], 'aes256', false],
    ['StringEqualsIfExists', ['AES256'], undefined, true],
    ['StringEqualsIgnoreCase', ['aes256'], 'AES256', true],
    ['StringLike', ['aws:kms*'], 'aws:kms:dsse', true],
    ['StringLike', ['aws:kms*'], 'AES256', false],
    // Null tests presence
    ['Null', ['true'], undefined, true],
    ['Null', ['true'], 'AES256', false],
    ['Null', ['false'], undefined, false],
    ['Null', ['false'], 'AES256', true],
    // Bool
    ['Bool', ['false'], 'false', true],
    ['Bool', ['FALSE'], 'false', true],
    ['Bool', ['false'], 'true', false],
    ['Bool', ['false'], undefined, false],
    ['BoolIfExists', ['false'], undefined, true],
    // Numeric
    ['NumericLessThan', ['1.2'], '1.1', true],
    ['NumericLessThan', ['1.2'], '1.2', false],
    ['NumericLessThan', ['1.2'], '1.3', false],
    ['NumericLessThan', ['1.2'], undefined, false],
    ['NumericLessThanIfExists', ['1.2'], undefined, true],
    ['NumericLessThan', ['one point two'], '1.1', 'unknown'],
    // set operators on a single-valued key
    ['ForAnyValue:StringEquals', ['AES256'], undefined, false],
    ['ForAllValues:StringNotEquals', ['AES256'], undefined, true],
    ['ForAnyValue:StringEquals', ['AES256'], 'AES256', true],
    // operator names are case-sensitive; unknown ones are not guessed
    ['stringnotequals', ['aws:kms'], undefined, 'unknown'],
    ['IpAddress', ['192.0.2.0/24'], '192.0.2.1', 'unknown'],
  ];
  for (const [operator, values, actual, expected] of table) {
    it(`${operator} ${JSON.stringify(values)} with ${actual === undefined ? 'the key absent' : JSON.stringify(actual)} → ${String(expected)}`, () => {
      expect(evaluateClause(clause(operator, values), actual)).toBe(expected);
    });
  }
});

describe('describeClause', () => {
  it('writes readable phrases', () => {
    expect(describeClause(clause('StringNotEquals', ['aws:kms']))).toBe(`${SSE} does not equal "aws:kms"`);
    expect(describeClause(clause('StringNotEquals', ['AES256', 'aws:kms']))).toBe(
      `${SSE} does not equal any of "AES256", "aws:kms"`,
    );
    expect(describeClause(clause('StringEquals', ['AES256', 'aws:kms']))).toBe(
      `${SSE} equals one of "AES256", "aws:kms"`,
    );
    expect(describeClause(clause('Null', ['true']))).toBe(`${SSE} is absent`);
    expect(describeClause(clause('Null', ['false']))).toBe(`${SSE} is present`);
    expect(describeClause(clause('BoolIfExists', ['false'], 'aws:SecureTransport'))).toBe(
      'aws:SecureTransport is absent or is "false"',
    );
    expect(describeClause(clause('NotIpAddress', ['192.0.2.0/24'], 'aws:SourceIp'))).toBe(
      'aws:SourceIp is not in "192.0.2.0/24"',
    );
    expect(describeClause(clause('NumericLessThan', ['1.2'], 's3:TlsVersion'))).toBe(
      's3:TlsVersion is less than "1.2"',
    );
  });
});
