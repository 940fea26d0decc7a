import { Router } from 'express';
import { getBrandLogo } from '../../domain/program/brand-logo.service';
import { notFound } from '../../domain/shared/errors';

/** /brand: the brand's uploaded logo, served from our own origin (the card and the console show it). */
export function createBrandAssetRoutes(): Router {
  const router = Router();
  router.get('/logo/:file', async (req, res) => {
    const logo = await getBrandLogo(String(req.params.file));
    if (!logo) throw notFound('找不到這個圖片。', 'logo_not_found');
    // Each upload gets a new id, so a URL's bytes never change.
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.type(logo.contentType).send(logo.data);
  });
  return router;
}
