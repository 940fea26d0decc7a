import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';

/**
 * Camera QR scanning for the counter tablet: getUserMedia + jsQR on video frames (~6 per second, enough for a
 * held-up phone and light on a tablet's CPU). Falls back to a message when the browser or the page (not HTTPS)
 * does not allow the camera; typing the code always works.
 */
export function cameraAvailable(): boolean {
  return typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.getUserMedia) && window.isSecureContext;
}

export function QrScanner(props: { onCode: (code: string) => void; onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState('');
  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer = 0;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    (async () => {
      const { default: jsQR } = await import('jsqr');
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      if (stopped || !video.current) return;
      video.current.srcObject = stream;
      await video.current.play();
      const tick = () => {
        const v = video.current;
        if (stopped || !v || !ctx) return;
        if (v.videoWidth) {
          canvas.width = v.videoWidth;
          canvas.height = v.videoHeight;
          ctx.drawImage(v, 0, 0);
          const found = jsQR(ctx.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height, {
            inversionAttempts: 'dontInvert',
          });
          if (found?.data) {
            props.onCode(found.data);
            return;
          }
        }
        timer = window.setTimeout(tick, 160);
      };
      tick();
    })().catch((err: unknown) =>
      setProblem(
        (err as { name?: string })?.name === 'NotAllowedError' ? t.counter.cameraDenied : t.counter.cameraUnavailable,
      ),
    );
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the camera starts once per mount
  }, []);
  return (
    <div class="scanner">
      {problem ? <p class="muted">{problem}</p> : <video ref={video} muted playsInline class="scanner-video" />}
      <button type="button" class="btn btn-small" onClick={props.onClose}>
        {t.counter.stopScan}
      </button>
    </div>
  );
}
