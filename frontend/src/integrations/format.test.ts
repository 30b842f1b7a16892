import { describe, expect, it } from 'vitest';
import i18n from 'i18next';
import { deliveryResult, isWebhookUrl, jobKindKey, jobKindLabel } from './format';

const t = i18n.getFixedT('en');

describe('job kinds', () => {
  it('name the known kinds in words', () => {
    expect(jobKindKey('notifications.email')).toBe('notifications_email');
    expect(jobKindLabel('webhooks.deliver', t)).toBe('Deliver a webhook event');
    expect(jobKindLabel('webhooks.deliver', i18n.getFixedT('zh-CN'))).toBe('投递 Webhook 事件');
  });

  it('call an unknown kind a background job and keep its name', () => {
    expect(jobKindLabel('reports.rebuild', t)).toBe('Background job (reports.rebuild)');
  });
});

describe('deliveryResult', () => {
  it('says OK with the status for a delivered event', () => {
    expect(deliveryResult({ state: 'DELIVERED', lastStatus: 204, lastError: '', attempts: 1 }, t)).toBe('OK · HTTP 204');
  });

  it('gives the receiver’s status, or no answer when there was none', () => {
    expect(deliveryResult({ state: 'DEAD', lastStatus: 503, lastError: 'HTTP 503', attempts: 6 }, t)).toBe('HTTP 503');
    expect(deliveryResult({ state: 'PENDING', lastStatus: null, lastError: 'connection refused', attempts: 2 }, t)).toBe('No answer');
    expect(deliveryResult({ state: 'PENDING', lastStatus: null, lastError: '', attempts: 0 }, t)).toBe('—');
  });
});

describe('isWebhookUrl', () => {
  it('takes http(s) addresses only', () => {
    expect(isWebhookUrl('https://hooks.example.com/quotient')).toBe(true);
    expect(isWebhookUrl('http://127.0.0.1:9000/hook')).toBe(true);
    expect(isWebhookUrl('ftp://example.com')).toBe(false);
    expect(isWebhookUrl('example.com/hook')).toBe(false);
  });
});
