import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { MemberDoc } from '../../models/member.model';
import { verifyLiffIdToken, type LiffIdentity } from '../../domain/auth/id-token.service';
import { findLiffMember } from '../../domain/auth/liff-member.service';
import { AppError, unauthorized } from '../../domain/shared/errors';
import type { AppDeps } from '../../server/deps';

/**
 * LIFF authentication: `Authorization: Bearer <ID token from liff.getIDToken()>`, verified with LINE Login.
 * The page never names a user: the member is whoever the verified token's `sub` is.
 */
export function requireMember(deps: AppDeps): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('請從 LINE 開啟會員卡。', 'missing_token');
    const identity = await verifyLiffIdToken(deps.lineLogin, match[1], deps.clock(), {
      key: req.ip ?? 'unknown',
      perMinute: deps.config.line.idTokenChecksPerMinute,
    });
    const member = await findLiffMember(identity);
    if (!member) {
      throw new AppError('not_following', 403, '加入官方帳號好友，就能使用會員卡囉！', {
        addFriendUrl: deps.links.addFriend(),
      });
    }
    res.locals.identity = identity;
    res.locals.member = member;
    next();
  };
}

/** The authenticated member of this request (set by requireMember). */
export function memberOf(res: Response): MemberDoc {
  return res.locals.member as MemberDoc;
}

export function identityOf(res: Response): LiffIdentity {
  return res.locals.identity as LiffIdentity;
}
