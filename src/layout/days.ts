import { addDays, dayPartition, startOfDay, type TimeWindow } from '../params/time.js';

/**
 * Days of slack after a window: key folders carry the delivery day, which comes after
 * the event (CloudTrail about 5 minutes, flow logs about 10, best effort), so events
 * late in the window's last day sit in the next day's folder.
 */
export const DELIVERY_SLACK_DAYS = 1;

/**
 * Partition days to read for a window: from the day of `since` through the day after
 * `until` (log files are dated by delivery, which comes after the event).
 */
export function windowDays(w: TimeWindow, slackDays = DELIVERY_SLACK_DAYS): { first: string; last: string; days: string[] } {
  const days: string[] = [];
  const end = startOfDay(addDays(new Date(w.until.getTime() - 1), slackDays));
  for (let d = startOfDay(w.since); d <= end; d = addDays(d, 1)) days.push(dayPartition(d));
  return { first: days[0]!, last: days[days.length - 1]!, days };
}
