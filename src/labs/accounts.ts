// The accounts of the labs with a victim: the learner's own `guest` (password `guest`) and the victim `dana`, whose
// password is drawn from the seed and never shown, so the only way into dana's session is the attack; and how
// dana's browser logs in.
import { seededBytes, seededHex } from './random.ts';
import { LabInputError, type LabDefinition, type LabRequest, type LabVictimContext } from './types.ts';

export const VICTIM = 'dana';

/** user → password for an instance. */
export function accountsFor(seed: string, slug: string): Map<string, string> {
  return new Map([
    ['guest', 'guest'],
    [VICTIM, seededHex(seededBytes(seed, `${slug}/password`), 12)],
  ]);
}

/** dana's private note: what a learner who got into her session reads. */
export function victimNote(seed: string, slug: string): string {
  return `order #${parseInt(seededHex(seededBytes(seed, `${slug}/note`), 3), 16) % 900000 + 100000}`;
}

/** The victim's form login, as its browser posts it. */
export function loginRequest(user: string, password: string): LabRequest {
  return {
    method: 'POST',
    url: '/login',
    headers: [['Content-Type', 'application/x-www-form-urlencoded']],
    body: new URLSearchParams({ user, password }).toString(),
  };
}

/** The victim of the labs where she only logs in and opens her account page, her cookies hidden from the learner. */
export const LOGIN_AND_ACCOUNT_VICTIM: Pick<LabDefinition, 'victimActions' | 'hideVictimCookies'> = {
  victimActions: [{ id: 'login' }, { id: 'open-account' }],
  hideVictimCookies: true,
};

/** Runs one of the actions of {@link LOGIN_AND_ACCOUNT_VICTIM} in her browser: her form login, or `GET /account`. */
export async function loginOrOpenAccount(action: string, accounts: ReadonlyMap<string, string>, send: LabVictimContext['send']): Promise<void> {
  if (action === 'login') await send(loginRequest(VICTIM, accounts.get(VICTIM)!));
  else if (action === 'open-account') await send({ method: 'GET', url: '/account', headers: [] });
  else throw new LabInputError(`unknown victim action '${action}'`);
}
