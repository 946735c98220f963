// Every module that registers job handlers, imported once so that every process running jobs knows
// every kind. A module that adds a kind (`registerJobHandler` from ./kinds.ts) adds one import here.
import './kinds.ts';
import '../publish/newsletter/jobs.ts';
