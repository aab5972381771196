import { GameDay } from './game-day';
import { GameDayOptions } from './game-day-props';
import { OperationalService } from '../patterns/operational-service';

/** The game days a pattern's `gameDays` option asks for, on `service` (construct id `GameDay`). */
export function addGameDays(service: OperationalService, options?: GameDayOptions): GameDay | undefined {
  return options ? new GameDay(service, 'GameDay', { ...options, service }) : undefined;
}
