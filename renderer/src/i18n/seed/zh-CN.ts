import type { SeedTexts } from './types';

/**
 * SEED 检查项的中文说明（标题、处理方法、清除警告的方法、各平台的步骤）。STATUS: AWAITING REVIEW BY A NATIVE SPEAKER.
 * Commands, menu paths of English-only software and setting names stay as they are (the user types or clicks them).
 */
export const SEED_ZH_CN: SeedTexts = {
  checks: {
    'ACC-1': {
      title: 'TechPass 账号已激活且已接受条款',
      remediation:
        '请先完成 TechPass 入职：登录、设置多重身份验证（MFA），并接受隐私政策、使用条款和 MDM 可接受使用政策。已停用的账号需要提交重新启用的服务请求；已关闭的账号需要提交新的开通申请。',
    },
    'ACC-2': {
      title: '已分配 SEED 许可证',
      remediation:
        '请在 TechPass 门户（TechPass Portal）申请 SEED（My Account →“Request for SEED”），或询问邀请您的项目经理或汇报主管。SE GSIB 用户请提交服务请求。',
    },
    'ACC-3': {
      title: 'SEED 入职邮件仍在有效期内（30 天）',
      remediation:
        '请获取新的 SEED 入职邮件：在 TechPass 门户（TechPass Portal）再次使用“Request for SEED”，或请邀请您的项目经理或汇报主管重新发送，或提交服务请求。新邮件的有效期为 30 天。',
    },
    'ACC-4': {
      title: '已确定入职身份（供应商或公职人员）',
      remediation:
        '供应商使用 username@techpass.gov.sg 形式的 ID；公职人员使用其 WOG 电子邮箱，并且必须在注册设备后登记 Intune 设备 ID。如果不确定，请联系 TechPass-SEED 服务台。',
      clearWarning: '请使用您的 username@techpass.gov.sg ID（供应商）或 WOG 电子邮箱（公职人员）登录，然后重新检查。',
    },
    'ACC-5': {
      title: '每位用户只能有一台 SEED 设备',
      remediation: '每位用户只能加入一台设备。请先将现有设备退出 SEED（提交服务请求），或继续使用那台设备。',
    },
    'ACC-6': {
      title: '不在 SEED 维护时段内',
      remediation: '请在维护时段之外开始入职；在维护期间开始的入职可能会失败。',
      clearWarning: '请等到维护时段结束后，再重新检查。',
    },
    'SEED-01': {
      title: '受支持的操作系统（Windows 或 macOS）',
      remediation: 'SEED 只支持 Windows 11 和 macOS 设备。请使用受支持的 Windows 或 Mac 设备进行 SEED 入职。',
    },
    'SEED-02': {
      title: '操作系统版本不低于 SEED 基线',
      remediation: '请将操作系统更新到不低于 SEED 基线的受支持版本，然后重新检查。',
      clearWarning: '请安装操作系统的正式版（非测试版），然后重新检查。',
      platformRemediation: {
        macos: '查看：苹果菜单 →“关于本机”。更新：“系统设置”→“通用”→“软件更新”。',
        windows: '查看：“设置”→“系统”→“系统信息”→“Windows 规格”→“操作系统版本”。更新：“设置”→“Windows 更新”。',
      },
    },
    'SEED-03': {
      title: 'Windows 专业版或企业版',
      remediation:
        'Windows 家庭版无法接入 SEED。请升级到 Windows 11 专业版（“设置”→“系统”→“激活”→“升级你的 Windows 版本”），或使用专业版/企业版设备。',
      clearWarning: '请使用 Windows 11 专业版或企业版（SEED 文档未说明支持教育版），然后重新检查。',
    },
    'SEED-04': {
      title: '硬件满足操作系统的最低要求',
      remediation:
        '请对照 Microsoft Windows 11 或 Apple macOS 的硬件要求检查设备（Windows 11 需要 TPM 2.0 和安全启动）。',
    },
    'SEED-05': {
      title: '拥有本地管理员权限',
      remediation:
        '入职需要本地管理员权限。请使用管理员账号登录，或请管理这台设备的人为您授予权限。境外（SEED+）用户：入职后管理员权限会被移除。',
    },
    'SEED-06': {
      title: '使用个人本地管理员账号，而不是内置的 Administrator 账号',
      remediation:
        '请创建您自己的本地账号：“计算机管理”→“本地用户和组”→“用户”→“新用户”，取消勾选“用户下次登录时须更改密码”，将其加入 Administrators 组，然后用它登录。',
      clearWarning: '请使用属于管理员的本地账号登录，然后重新检查。',
    },
    'SEED-07': {
      title: '已安装受支持的浏览器',
      remediation:
        '请安装 Chrome、Edge、Firefox 或 Safari。在 Firefox 中，请在 about:config 里将 security.enterprise_roots.enabled 设为 true（或使用 ImportEnterpriseRoots 策略），使其信任操作系统的证书存储。',
      clearWarning:
        '请安装 Chrome、Edge、Firefox 或 Safari（在 Firefox 中开启 security.enterprise_roots.enabled），然后重新检查。',
    },
    'SEED-08': {
      title: '没有已有的 MDM 注册',
      remediation: '入职前请移除现有的设备管理。',
      clearWarning: '在取得其所有者同意后，退出域或移除配置代理程序，然后重新检查。',
      platformRemediation: {
        macos:
          '“系统设置”→“隐私与安全性”→“描述文件”→“管理描述文件”会显示管理方。Intune：Company Portal →“设备”→ ⋯ →“移除”，然后退出登录。通过 DEP 或其他 MDM 注册的设备：请该机构的 IT 管理员解除对设备的管理。',
        windows:
          '“设置”→“帐户”→“访问工作或学校”：选择每个工作或学校帐户，然后选择“断开连接”。已加入 Azure AD 的设备必须由其 IT 管理员解除。',
        linux: '请移除 Intune 门户（intune-portal 软件包）和其他管理代理程序。',
      },
    },
    'SEED-09': {
      title: '没有 Tanium 客户端或其他终端管理平台',
      remediation: '请卸载现有的 Tanium 客户端（以及其他终端管理代理程序，需取得其所有者同意）。',
      clearWarning: '在取得其所有者同意后，卸载其他终端管理代理程序，然后重新检查。',
      platformRemediation: {
        macos:
          '文档中的卸载方法（终端）：\nsudo launchctl unload /Library/LaunchDaemons/com.tanium.taniumclient.plist\nsudo launchctl remove com.tanium.taniumclient\nsudo rm /Library/LaunchDaemons/com.tanium.taniumclient.plist /Library/LaunchDaemons/com.tanium.trace.taniumclient.plist\nsudo rm -rf /Library/Tanium/\nsudo rm -f /var/db/receipts/com.tanium.*',
        windows: '“设置”→“应用”→“安装的应用”，搜索“Tanium Client”，然后卸载。',
        linux: '请用软件包管理器移除 taniumclient 软件包。',
      },
    },
    'SEED-10': {
      title: '未安装 Cloudflare WARP',
      remediation: '入职前请卸载 Cloudflare WARP；SEED 会安装并配置它自己的版本。',
      platformRemediation: {
        macos:
          '文档中的卸载方法（终端）：sudo /bin/sh "/Applications/Cloudflare WARP.app/Contents/Resources/uninstall.sh"',
        windows: '“设置”→“应用”→“安装的应用”，“Cloudflare WARP”，卸载。',
        linux: '请用软件包管理器移除 cloudflare-warp 软件包。',
      },
    },
    'SEED-11': {
      title: '没有其他 VPN 或安全连接软件',
      remediation: '请现在断开其他 VPN，并在入职前将其卸载：入职后，Cloudflare WARP 不能与其他 VPN 同时运行。',
      clearWarning: '请卸载其他 VPN 软件，然后重新检查。',
    },
    'SEED-12': {
      title: '未被其他机构加入 Microsoft Defender for Endpoint',
      remediation: '请将设备从其他机构的 Defender for Endpoint 租户中退出（见下文），然后重新检查。',
      platformRemediation: {
        macos: '自行检查：在终端运行 `mdatp health` 并记下 org_id（出现“command not found”表示没有安装 Defender）。',
        windows:
          '自行检查：在管理员 PowerShell 中读取 HKLM\\SOFTWARE\\Microsoft\\Windows Advanced Threat Protection\\Status 下的 OrgID 值（为空表示没有）。',
      },
    },
    'SEED-13': {
      title: '没有其他杀毒软件或 EDR（包括其他机构的 CrowdStrike Falcon）',
      remediation:
        '入职前，请其他杀毒软件/EDR 的管理员将其移除。残留的 CrowdStrike 或杀毒软件是收不到成功邮件、设备未被重命名的已知原因。',
      clearWarning: '请卸载其他杀毒软件（Microsoft Defender 保留），然后重新检查。',
    },
    'SEED-14': {
      title: '系统完整性保护已开启（macOS）',
      remediation: '请重启进入恢复模式，打开终端，运行 `csrutil enable`，然后重启。',
    },
    'SEED-15': {
      title: '磁盘加密已开启',
      remediation: '请开启磁盘加密，并将恢复密钥保存在这台设备以外的地方。',
      clearWarning: '请等待磁盘加密完成，然后重新检查。',
      platformRemediation: {
        macos:
          '“系统设置”→“隐私与安全性”→“文件保险箱”→“打开”。选择“创建恢复密钥，不使用我的 iCloud 帐户”，并将密钥保存到另一台设备上。',
        windows:
          '打开“管理 BitLocker”→ 为操作系统驱动器启用 BitLocker → 使用密码解锁 → 将恢复密钥保存到可移动介质 → 加密整个驱动器 → 新加密模式。',
      },
    },
    'SEED-16': {
      title: '已备好恢复密钥和设备密码',
      remediation:
        '入职过程中，设备可能会重启并要求设置新的设备密码。开始之前，请备好您的文件保险箱或 BitLocker 恢复密钥。',
      clearWarning: '备好恢复密钥和设备密码后，请勾选此检查项下方的确认框。',
    },
    'SEED-17': {
      title: '互联网设备，而不是 GSIB 或 DWP 设备',
      remediation:
        'GSIB（SE 或非 SE）和 DWP 设备无法接入 SEED（DWP 设备会因“DWP device used”而失败）。请使用互联网设备。',
      clearWarning: '如果这是一台互联网设备（不是 GSIB 或 DWP 设备），请勾选此检查项下方的确认框。',
    },
    'SEED-18': {
      title: '网络连通性',
      remediation: '入职过程中直到完成都需要稳定的互联网连接。请检查您的网络连接、代理服务器或防火墙，然后重新检查。',
      clearWarning: '请连接到可以访问 SEED 服务的网络（检查代理服务器和防火墙），然后重新检查。',
    },
    'SEED-19': {
      title: 'macOS 准备情况（磁盘空间、没有远程控制）',
      remediation:
        '请在系统磁盘上腾出至少 20 GB 空间。请在 Mac 本机上进行入职，不要通过远程控制：描述文件无法通过远程或自动输入来批准。在 macOS 15 上，入职后出现提示时，请允许 Cloudflare WARP 通过防火墙。',
      clearWarning: '请在系统磁盘上腾出至少 20 GB 空间并停止屏幕共享，然后重新检查。',
    },
    'SEED-20': {
      title: '聚焦（Spotlight）索引已开启（macOS）',
      remediation: 'SEED 使用聚焦来检测已安装的应用程序。请重新开启索引：sudo mdutil -i on /',
    },
    'SEED-21': {
      title: '境外（SEED+）设备入职后的管控',
      remediation:
        'SEED+ 设备入职后：\n• 管理员权限会被移除；提升权限需通过 CyberArk EPM，并需要您的联系人（POC）批准；\n• USB 存储设备会被禁用；\n• Cloudflare WARP 始终开启；\n• DNS 固定为 1.1.1.1 和 1.0.0.1；\n• 设备连续闲置 30 天后会被退出 SEED。',
    },
  },
  defenderByOrg: '按机构 ID：',
  defenderOrgs: {
    WOG: '这台设备可能已通过另一个 TechPass 账号接入 SEED。请登录 TechPass，下载该机构的 Defender 退出程序包并运行。然后在打开的表单中提交 Intune 设备 ID，并用发送到您机构邮箱的一次性密码（OTP）进行验证。',
    TechPass:
      '这台设备可能已通过另一个 TechPass 账号接入 SEED。请登录 TechPass，下载该机构的 Defender 退出程序包并运行。然后在打开的表单中提交 Intune 设备 ID，并用发送到您机构邮箱的一次性密码（OTP）进行验证。',
    Hive: '请向 Hive 支持团队（GDS_DEN@hive.gov.sg）获取 Defender 退出程序包并运行，然后重新检查。',
  },
  defenderOtherOrg:
    '此设备已由另一个机构加入 Microsoft Defender for Endpoint。请联系提供这台设备的一方的 IT 团队将其退出，然后重新检查。',
  defenderAnyOther: '任何其他机构 ID',
};
