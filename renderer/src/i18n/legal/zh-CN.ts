import type { LegalTranslations } from './types';

/**
 * Chinese translations of the legal texts, each for one version of its English original. STATUS: AWAITING REVIEW BY
 * A NATIVE SPEAKER (and by the legal owner of each text). Only the English version binds; the wizard says so above
 * each translation. When the backend publishes a new version, the translation for the old one is no longer shown (the
 * English text is, with a note) until this file carries the new version.
 */
export const LEGAL_ZH_CN: LegalTranslations = {
  privacy: {
    version: '2025.1',
    title: 'TechPass 隐私声明',
    body: [
      '本声明说明由新加坡政府科技局（GovTech Singapore）运营的 TechPass 如何处理您的个人资料。',
      '1. 我们收集的资料。您的姓名、机构电子邮箱地址、手机号码、部门、用户名，以及您的登录记录（时间、设备和网络地址）。如果您是境外用户，我们还会保存您汇报主管的姓名和电子邮箱，以及您公司的地址。',
      '2. 收集的目的。用于创建和保护您的 TechPass 账号，在您登录时验证是您本人（多重身份验证），向您发送账号和安全通知，并满足新加坡政府的审计和法律要求。',
      '3. 谁可以查看。经授权的 TechPass 管理员、邀请您的公职人员，以及负有保密义务、负责运营本服务的服务提供商。我们不会出售您的资料。',
      '4. 保存期限。在您的账号存在期间保存；账号删除后，按审计规定所要求的期限继续保存。',
      '5. 您的选择。您可以通过提交 TechPass 服务请求，要求查看或更正您的个人资料。部分信息在注册后不能更改；支持团队会为您提供帮助。',
      '6. 安全。密码仅以加盐哈希的形式保存。我们发送给您的验证码和链接很快就会过期。切勿将您的密码或验证码告诉任何人，包括自称来自 TechPass 的人。',
    ].join('\n\n'),
  },
  'terms-of-use': {
    version: '2025.1',
    title: 'TechPass 使用条款',
    body: [
      '使用 TechPass 即表示您同意这些条款。',
      '1. 您的账号仅供您本人使用。不要与任何人共享您的用户名、密码或身份验证器。您须对使用您账号进行的一切操作负责。',
      '2. 仅将 TechPass 用于您受邀或获批准参与的政府工作，并遵守为您担保的机构的政策。',
      '3. 保持您的信息为最新。当您离开项目或所在机构时，请告知您的项目经理或汇报主管，以便关闭您的账号。',
      '4. 连续 90 天未登录的账号会被停用，180 天后会被关闭。30 天内未激活的账号会被关闭。',
      '5. 发现任何可疑情况请立即报告，例如并非由您发起的登录提示：请选择“No, it’s not me”（不是我），然后选择“Report”（报告）。',
      '6. GovTech 可以暂停或关闭违反这些条款的账号，也可以修改这些条款；条款修改后，系统会请您接受新版本。',
    ].join('\n\n'),
  },
  'mdm-aup': {
    version: '4.0',
    title: 'SEED 移动设备管理可接受使用政策（v4.0）',
    body: [
      '当您将一台互联网设备接入 SEED（Security Suite for Engineering Endpoint Devices，工程终端设备安全套件）时，本政策适用。',
      '1. 管理。您的设备将注册到 Microsoft Intune，并运行 Microsoft Defender for Endpoint、Tanium 和 Cloudflare WARP。这些工具使 SEED 团队能够检查设备的安全设置、安装更新和安全软件，并查看设备的名称、型号、序列号、操作系统版本和已安装的软件。它们不会读取您的个人文件、消息或浏览内容。',
      '2. 您的责任。使操作系统保持在支持的基线之内，并在收到要求时安装补丁；保持磁盘加密和系统保护处于开启状态；不要删除、停用或篡改管理和安全代理程序；接入的设备不得超过一台；使用个人的本地管理员账号。',
      '3. 不合规。低于基线的设备有 7 天时间整改，之后将被禁止访问政府服务。连续 90 天未使用的设备可能会被移出管理；180 天后其记录将被删除。',
      '4. 退出。当您离开项目或不再需要 SEED 时，请将设备退出 SEED。移除管理不会删除您的个人资料。',
      '5. 事件。如果设备丢失或被盗，请立即向 TechPass 支持团队报告。',
    ].join('\n\n'),
  },
};
