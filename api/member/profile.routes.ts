import { Router } from 'express';
import { ConsentUpdateSchema, ProfileUpdateSchema, type Profile, type ProfileResponse } from '../contracts/member';
import { applyProfileEdits, loadMember, setMarketingConsent } from '../../domain/members/profile-edit.service';
import { isProfileComplete } from '../../domain/members/member-summary';
import { completePersonaFromCard } from '../../domain/persona/persona-completion.service';
import { loadPersonaState } from '../../domain/persona/persona-progress.service';
import { getPersonaScript } from '../../domain/persona/persona-script.service';
import {
  describeProfileFields,
  type ProfileAnswerProblem,
  readProfileAnswers,
} from '../../domain/persona/profile-form';
import { zonedDate } from '../../domain/shared/clock';
import { validationError } from '../../domain/shared/errors';
import { parseOrThrow } from '../../domain/shared/validation';
import { maskPhone } from '../../domain/shared/phone';
import type { MemberDoc } from '../../models/member.model';
import type { AppDeps } from '../../server/deps';
import { memberOf } from './auth';
import { memberText } from './member-messages';

/** GET/PUT /profile (the persona answers as a form) and PUT /consent (marketing messages on/off). */
export function createProfileRouter(deps: AppDeps): Router {
  const router = Router();

  router.get('/profile', async (_req, res) => {
    res.json(await profileResponse(memberOf(res)));
  });

  router.put('/profile', async (req, res) => {
    const { answers } = parseOrThrow(ProfileUpdateSchema, req.body);
    const member = memberOf(res);
    const now = deps.clock();
    const script = await getPersonaScript();
    const { edits, errors } = readProfileAnswers(script, answers, zonedDate(now, deps.config.timeZone), now);
    if (errors.length) throw validationError(errors.map((e) => ({ path: e.path, message: problemMessage(e.problem) })));
    await applyProfileEdits(member._id, edits, now, deps.config.timeZone, deps.config.privacy.erasureHmacSecret);
    // The card can give the last missing answers: then it completed the persona, with the chat's reward.
    await completePersonaFromCard(
      { messenger: deps.messenger, timeZone: deps.config.timeZone },
      member._id,
      script,
      now,
    );
    res.json(await profileResponse(await reload(member)));
  });

  router.put('/consent', async (req, res) => {
    const { marketing } = parseOrThrow(ConsentUpdateSchema, req.body);
    const member = memberOf(res);
    await setMarketingConsent(member._id, marketing, deps.clock(), memberText.consentRequired);
    res.json(await profileResponse(await reload(member)));
  });
  return router;
}

async function reload(member: MemberDoc): Promise<MemberDoc> {
  return (await loadMember(member._id)) ?? member;
}

export async function profileResponse(member: MemberDoc): Promise<ProfileResponse> {
  const [script, { state }] = await Promise.all([getPersonaScript(), loadPersonaState(member._id)]);
  const answers = (state?.answers ?? {}) as Record<string, { value?: unknown }>;
  return {
    profile: presentProfile(member),
    fields: describeProfileFields(script, member, answers, { datePlaceholder: memberText.datePlaceholder }),
  };
}

/** A refused answer in the card's words. */
function problemMessage(p: ProfileAnswerProblem): string {
  switch (p.kind) {
    case 'not_editable':
      return memberText.notEditable;
    case 'invalid_choice':
      return memberText.invalidChoice;
    case 'invalid_date':
      return memberText.invalidDate;
    case 'invalid_email':
      return memberText.invalidEmail;
    case 'invalid_phone':
      return memberText.invalidPhone;
    case 'invalid_text':
      return memberText.invalidText(p.minLength, p.maxLength);
    case 'ask_text':
      return p.prompt;
  }
}

function presentProfile(m: MemberDoc): Profile {
  const prefs = m.preferences ?? {};
  return {
    displayName: m.displayName ?? '',
    name: m.name ?? null,
    gender: m.gender ?? null,
    birthday: m.birthday ?? null,
    city: m.city ?? null,
    email: m.email ?? null,
    phoneMasked: m.phone ? maskPhone(m.phone) : m.phoneClaim?.phone ? maskPhone(m.phoneClaim.phone) : null,
    preferences: Object.fromEntries(
      Object.entries({
        priceSensitivity: prefs.priceSensitivity,
        promotionType: prefs.promotionType,
        contactTime: prefs.contactTime,
      }).filter((e): e is [string, string] => typeof e[1] === 'string'),
    ),
    consent: {
      status: (m.consent?.status ?? 'pending') as Profile['consent']['status'],
      marketing: Boolean(m.consent?.marketing),
      at: m.consent?.at ? m.consent.at.toISOString() : null,
    },
    personaCompleted: isProfileComplete(m),
  };
}
