// The process helpers of e2e tests live in the testkit, which the deploy recipes' tests share.
export { childPids, isRunning, moreRequests, until } from '@gu/testkit';
