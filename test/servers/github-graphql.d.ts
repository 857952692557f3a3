/** Types of github-graphql.js (plain JavaScript so that the emulator also runs standalone with `node`). */
import type { Buffer } from 'node:buffer';
import type { DocumentNode } from 'graphql';

/** GitHub refuses a query that could return more nodes than this (MAX_NODE_LIMIT_EXCEEDED). */
export const NODE_LIMIT: number;

export function answerGraphql(
  body: Buffer | undefined,
  corpus: unknown,
  bucket: { limit: number; remaining: number; reset: number; used: number },
): Promise<{ status: number; headers?: Record<string, string>; body: Buffer }>;

/** GitHub's rate-limit cost of a query: the connection pages it may need, divided by 100, at least 1. */
export function queryCost(document: DocumentNode, variables: Record<string, unknown>): number;

/** The nodes a query's connections could return, by GitHub's node-limit rule. */
export function queryNodeCount(document: DocumentNode, variables: Record<string, unknown>): number;
