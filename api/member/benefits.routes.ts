import { Router } from 'express';
import type { Benefits } from '../contracts/member';
import { getProgramBenefits } from '../../domain/program/benefits.service';

/**
 * GET /benefits: 會員權益, the program's rules. Public (no ID token): it says nothing about a member, and the FAQ
 * and the chat may link to it before someone has signed in.
 */
export function createBenefitsRouter(): Router {
  const router = Router();
  router.get('/benefits', async (_req, res) => {
    const body: Benefits = await getProgramBenefits();
    res.json(body);
  });
  return router;
}
