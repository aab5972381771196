/** Construct ids of the response dead-letter queue and its alarm, children of the hub (their logical ids derive from them). */
export const RESPONSE_DLQ_ID = 'ResponseDeadLetterQueue';
export const RESPONSE_DLQ_ALARM_ID = 'ResponseDeadLetterAlarm';
