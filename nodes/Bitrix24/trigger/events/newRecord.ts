import type { EventRules, PollContext } from './rules';

/** New Record: every record created since the cursor. */
export const newRecord = ({ emit }: PollContext): EventRules => ({ read: (record) => emit(record) });
