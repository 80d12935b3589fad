/** Desktop notifications for tunnel state changes (notifications-model.ts decides what to say). */
import { Notification } from 'electron';
import type { NotificationSpec } from '../notifications-model';

export function showNotification(spec: NotificationSpec, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const n = new Notification({ title: spec.title, body: spec.body, urgency: spec.kind === 'failure' ? 'critical' : 'normal', silent: spec.kind !== 'failure' });
  n.on('click', onClick);
  n.show();
}
