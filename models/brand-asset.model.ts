import mongoose, { Schema } from 'mongoose';

/** The brand's uploaded logo (PNG/JPEG, size-checked), served from our own origin at /brand/logo/<id>.<ext>. */
const brandAssetSchema = new Schema(
  {
    kind: { type: String, enum: ['logo'], required: true },
    data: { type: Buffer, required: true },
    contentType: { type: String, enum: ['image/png', 'image/jpeg'], required: true },
    width: Number,
    height: Number,
    uploadedBy: String,
  },
  { timestamps: true },
);

export const BrandAsset = mongoose.model('BrandAsset', brandAssetSchema);
