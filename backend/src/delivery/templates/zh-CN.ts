/**
 * Simplified Chinese messages, translated from en.ts.
 * REVIEW STATUS: awaiting review by a native speaker (see docs/translating.md). Until then, change the wording only
 * together with the glossary there.
 * Terms: TechPass, SEED, TechPass ID, TechPass Onboarding and URLs stay in Latin; 账号, 用户名, 登录, 激活,
 * 身份验证器, 初始密码, 验证码, 停用, 重新启用, 关闭, SEED 许可证, 接入 (a device), 服务请求, TechPass 支持团队.
 * Spaces separate Chinese from Latin words and numbers; full-width punctuation (，。：（）“”) in Chinese sentences.
 */
import { LOGIN_ID_DOMAIN } from '../../../../shared/domain/registration-rules';
import type { Catalogue } from './catalogue';
import { ACCOUNTS_FAQ_URL, registrationDeepLink, SEED_PERSONA_URL, SEED_PREREQUISITES_URL, SUPPORT_URL } from './links';

const SERVICE_REQUEST = `在 ${SUPPORT_URL} 提交服务请求`;
const JUNK = '如果找不到 TechPass 发来的邮件，请检查垃圾邮件、已删除邮件和存档文件夹。';
const NEVER_SHARE = '请勿告诉他人。';

export const zhCN: Catalogue = {
  locale: 'zh-CN',
  intlLocale: 'zh-CN',
  otherLanguagePointer: '中文：用 TechPass Onboarding 应用打开下方链接，即可使用中文版。',
  templates: {
    'N-REG-LINK': (d, f) => ({
      subject: '完成 TechPass 注册',
      body: [
        d.inviterEmail ? `${d.inviterEmail} 邀请您注册 TechPass。` : '您已受邀注册 TechPass。',
        '',
        `请在 ${f.dateTime(d.expiresAt)} 前完成注册。此链接只能使用一次。`,
        '',
        '如果您已安装 TechPass Onboarding 应用，请打开此链接，在应用中继续：',
        registrationDeepLink(d.token),
        '',
        '或在浏览器中打开此链接：',
        d.registrationUrl,
        '',
        '如果链接已过期，请联系邀请您的人重新发送邀请。',
        '请勿转发此邮件：任何人拿到此链接，都能以您的名义注册。',
      ].join('\n'),
    }),
    'N-REG-RESULT': (d, f) =>
      d.outcome === 'registered'
        ? {
            subject: `TechPass 邀请已被接受：${d.inviteeEmail}`,
            body: `您发给 ${d.inviteeEmail} 的邀请已于 ${f.dateTime(d.at)} 用于注册${d.username ? `（TechPass ID：${d.username}@${LOGIN_ID_DOMAIN}）` : ''}。\n\n您无需进行任何操作。该用户须在 30 天内激活账号。`,
          }
        : {
            subject: `TechPass 邀请已过期：${d.inviteeEmail}`,
            body: `您发给 ${d.inviteeEmail} 的邀请已于 ${f.dateTime(d.at)} 过期，未被使用。\n\n如需再次邀请此人，请在 TechPass 门户（TechPass Portal）中发送新的邀请。`,
          },
    'N-REG-UNDELIVERED': (d, f) => ({
      subject: `TechPass 邀请未送达：${d.inviteeEmail}`,
      body: [
        d.reason === 'rejected'
          ? `您发给 ${d.inviteeEmail} 的邀请邮件已于 ${f.dateTime(d.at)} 被收件方邮件服务器拒收。`
          : `您发给 ${d.inviteeEmail} 的邀请邮件无法送达；TechPass 已于 ${f.dateTime(d.at)} 停止重试。`,
        '',
        '此人尚未收到注册链接。请核对电子邮件地址（最常见的原因是输入错误）；如地址无误，请询问其所在机构是否拦截了',
        `来自 TechPass 的邮件，然后在 TechPass 门户（TechPass Portal）中发送新的邀请。如果仍然失败，请${SERVICE_REQUEST}。`,
      ].join('\n'),
    }),
    'N-ONBOARD': (d, f) => ({
      subject: '您的 TechPass 账号已开通',
      body: [
        '您的 TechPass 账号已创建。',
        '',
        `用户名：${d.username}`,
        `TechPass ID：${d.loginId}`,
        '',
        '请使用此用户名（或 TechPass ID）登录，不要使用您的电子邮件地址。TechPass ID 没有邮箱，',
        'TechPass 的邮件仍会发送到当前这个地址。',
        '',
        `请在 ${f.dateTime(d.activateBy)} 前登录并设置身份验证器，否则账号将被关闭。`,
        '',
        JUNK,
      ].join('\n'),
    }),
    'N-INITPWD': (d, f) => {
      const rest = `${d.password}\n首次登录须修改。${NEVER_SHARE}`;
      // The TechPass ID only when the SMS still fits one segment (70 characters) with it; the onboarding email names it.
      return {
        body: f.oneSms(
          ...(d.loginId ? [`TechPass 初始密码（${d.loginId}）：${rest}`] : []),
          `TechPass 初始密码：${rest}`,
        ),
      };
    },
    'N-SEED-INVITE': (d, f) => {
      const vendor = d.loginId.toLowerCase().endsWith(`@${LOGIN_ID_DOMAIN}`);
      return {
        subject: '将您的互联网设备接入 SEED',
        body: [
          `您的 TechPass 账号 ${d.loginId} 已分配 SEED 许可证。`,
          '',
          `此邮件有效期至 ${f.dateTime(d.expiresAt)}。过期后，请让您的项目经理或汇报主管（PM/RO）重新发送，或在 TechPass 门户（TechPass Portal）中使用“Request for SEED”，或${SERVICE_REQUEST}。`,
          '',
          '开始之前：请先激活您的 TechPass 账号（登录并设置身份验证器）。您只能接入一台设备。',
          `您的接入方式：${vendor ? `供应商（TechPass ID 以 @${LOGIN_ID_DOMAIN} 结尾）` : '公职人员'}。身份类型指南：${SEED_PERSONA_URL}`,
          `前提条件：${SEED_PREREQUISITES_URL}`,
          '接入之前，请在 TechPass Onboarding 应用中运行设备检查：它会列出您必须先移除或更新的内容。',
        ].join('\n'),
      };
    },
    'N-REMIND-TERM-PENDING': (d, f) => ({
      subject: '请激活您的 TechPass 账号，否则账号将被关闭',
      body: `您的 TechPass 账号 ${d.loginId} 尚未激活。\n\n请在 ${f.dateTime(d.deadline)} 前登录并设置身份验证器，否则账号将被关闭，您需要重新获得邀请。\n\n${JUNK}`,
    }),
    'N-REMIND-DISABLE': (d, f) => ({
      subject: '请登录 TechPass，否则您的账号将被停用',
      body: `您已超过 60 天未登录 TechPass 账号 ${d.loginId}。\n\n请在 ${f.dateTime(d.deadline)} 前登录，以保留此账号。否则账号将被停用，其 SEED 许可证也将被撤销；之后您需要${SERVICE_REQUEST}，才能重新启用账号。`,
    }),
    'N-REMIND-TERM': (d, f) => ({
      subject: '请登录 TechPass，否则您的账号将被关闭',
      body: `您已很长时间未登录 TechPass 账号 ${d.loginId}。\n\n请在 ${f.dateTime(d.deadline)} 前登录（如果账号已被停用，请先${SERVICE_REQUEST}，重新启用账号）。否则账号将被永久关闭，且无法恢复。`,
    }),
    'N-STATUS': (d, f) => {
      const done = { enabled: '重新启用', disabled: '停用', terminated: '关闭', deleted: '删除' }[d.status];
      const next = {
        enabled: '请在 5 天内登录，否则自动规则可能会再次停用此账号。',
        disabled: `如需继续使用，请${SERVICE_REQUEST}，重新启用账号，然后在 5 天内登录。`,
        terminated: '已关闭的账号无法恢复。如果您仍需要使用 TechPass，请申请新的邀请。',
        deleted: '此账号及其数据已被删除。如果您仍需要使用 TechPass，请申请新的邀请。',
      }[d.status];
      const by = d.source === 'scheduled-job' ? '由系统自动' : d.source === 'cam' ? '由贵机构的人事系统' : '';
      const reason =
        d.reason &&
        {
          'not-activated': '30 天内未激活',
          'inactive-disable': '90 天未登录',
          'inactive-terminate': '180 天未登录',
          administrator: '由管理员操作',
        }[d.reason];
      return {
        subject: `TechPass 账号 ${d.loginId} 已${done}`,
        body: `TechPass 账号 ${d.loginId} 已于 ${f.dateTime(d.at)} ${by}${done}${reason ? `（${reason}）` : ''}。\n\n${next}\n\n账号常见问题：${ACCOUNTS_FAQ_URL}`,
      };
    },
    'N-SEED-REVOKED': (d, f) => ({
      subject: '您的 SEED 许可证已被撤销',
      body: `由于账号已被停用，${d.loginId} 的 SEED 许可证已${d.at ? `于 ${f.dateTime(d.at)} ` : ''}被撤销。\n\n如果账号重新启用（请${SERVICE_REQUEST}），已接入设备的许可证将会恢复。`,
    }),
    'N-PWD-EXPIRY': (d, f) => ({
      subject: '您的 TechPass 密码即将过期',
      body: `${d.loginId} 的密码将于 ${f.dateTime(d.expiresAt)} 过期。\n\n请在此之前更改密码。如果密码已经过期，请使用“忘记密码”，凭发送到您注册手机的验证码重置密码。`,
    }),
    'N-PWD-RESET-CODE': (d) => ({
      body: `${d.code} 是您的 TechPass 密码重置验证码，10 分钟内有效。${NEVER_SHARE}如非本人操作，请忽略本短信。`,
    }),
    'N-PHONE-CODE': (d) => ({
      body: `${d.code} 是您的 TechPass 验证码，10 分钟内有效。${NEVER_SHARE}`,
    }),
    'N-PWD-RESET-LINK': (d, f) => ({
      subject: '设置新的 TechPass 密码',
      body: [
        `由于短信验证码无法送达您的手机，TechPass 支持团队${d.ticket ? `（工单 ${d.ticket}）` : ''}向您发送了一个一次性链接，用于为 ${d.loginId} 设置新密码。`,
        '',
        `此链接只能使用一次，将于 ${f.dateTime(d.expiresAt)} 过期：`,
        d.resetUrl,
        '',
        '如果您没有向 TechPass 支持团队提出此请求，请不要使用此链接，并联系支持团队。',
      ].join('\n'),
    }),
    'N-DUP-REG': (d) => ({
      subject: '有人用您的电子邮件地址申请注册新的 TechPass 账号',
      body: `有人用您的电子邮件地址申请了新的 TechPass 账号，而此地址已有账号 ${d.loginId}。系统没有创建第二个账号。\n\n请使用 ${d.loginId} 登录。如果这不是您本人的操作，请通过 ${SUPPORT_URL} 联系 TechPass 支持团队。`,
    }),
    'N-PWD-CHANGED': (d, f) => ({
      subject: '您的 TechPass 密码已更改',
      body: [
        `${d.loginId} 的密码已于 ${f.dateTime(d.at)} ${{ change: '更改', reset: '通过发送到您手机的验证码重置', 'support-link': '通过 TechPass 支持团队发送的链接重置', 'initial-password': '被新的初始密码替换' }[d.via]}。`,
        '此账号的其他所有会话均已退出登录。',
        '',
        '如果这是您本人的操作，则无需执行其他操作。',
        `不是您本人？请立即在 TechPass Onboarding 应用中使用“忘记密码”重置密码，然后通过 ${SUPPORT_URL} 联系 TechPass 支持团队。`,
      ].join('\n'),
    }),
  },
};
