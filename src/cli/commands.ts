// The list of command groups. Adding a group: write src/cli/<group>.ts exporting
// `register(program: Command)`, then add one import and one call here.
import type { Command } from 'commander';

export function registerAll(program: Command): void {
  void program;
}
