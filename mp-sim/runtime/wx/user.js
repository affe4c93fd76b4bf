// What the shopper does when WeChat asks them something. On a phone a person taps "允许" or
// "拒绝", picks an address from their list, a photo from their album; here a scenario decides
// (`refuse`, `cancel`, `address`, `images`, …) and what it leaves open is what a tester
// would tap: allow, the default address, one photo.

/**
 * The permissions a scenario can make the shopper refuse, by the names a feature uses
 * (English and zh-CN), each the scope (or the button / API answer) it stands for.
 */
export const PERMISSIONS = {
  location: 'scope.userLocation',
  'background location': 'scope.userLocationBackground',
  address: 'scope.address',
  'invoice title': 'scope.invoiceTitle',
  invoice: 'scope.invoice',
  'photo album': 'scope.writePhotosAlbum',
  camera: 'scope.camera',
  microphone: 'scope.record',
  bluetooth: 'scope.bluetooth',
  werun: 'scope.werun',
  'user info': 'scope.userInfo',
  'phone number': 'phoneNumber',
  'subscription messages': 'subscribeMessage',
  privacy: 'privacy',
  位置: 'scope.userLocation',
  后台位置: 'scope.userLocationBackground',
  通讯地址: 'scope.address',
  地址: 'scope.address',
  发票抬头: 'scope.invoiceTitle',
  发票: 'scope.invoice',
  相册: 'scope.writePhotosAlbum',
  摄像头: 'scope.camera',
  麦克风: 'scope.record',
  蓝牙: 'scope.bluetooth',
  微信运动步数: 'scope.werun',
  用户信息: 'scope.userInfo',
  手机号: 'phoneNumber',
  订阅消息: 'subscribeMessage',
  隐私协议: 'privacy',
};

/** The address WeChat's documentation shows for `wx.chooseAddress`. */
export const DEFAULT_ADDRESS = {
  userName: '张三',
  postalCode: '510000',
  provinceName: '广东省',
  cityName: '广州市',
  countyName: '海珠区',
  streetName: '',
  detailInfo: '新港中路397号',
  detailInfoNew: '新港中路397号',
  nationalCode: '510000',
  nationalCodeFull: '440105',
  telNumber: '020-81167888',
};

/** Where the shopper stands unless a scenario says otherwise (WeChat's documentation's example). */
export const DEFAULT_LOCATION = {
  latitude: 23.099994,
  longitude: 113.32452,
  name: 'T.I.T 创意园',
  address: '广东省广州市海珠区新港中路397号',
};

/** An 8×8 PNG, the photo the shopper picks when the scenario gave none. */
export const DEFAULT_IMAGE = {
  name: 'photo.png',
  type: 'image/png',
  base64: 'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAN0lEQVR4nJ3LsQ0AMAgDQTqv6VXpvJWDhEBpk+aKlz6ccrJFCmNs9VXL+Dgoky0ojLHVVy3fjwNy3Gnh4U9x7QAAAABJRU5ErkJggg==',
  width: 8,
  height: 8,
};

/** The shopper's answers. */
export class User {
  constructor() {
    this.refused = new Set();
    this.granted = new Map(); // scope → true (allowed) | false (refused), once asked
    this.cancelled = new Set();
    this.address = { ...DEFAULT_ADDRESS };
    this.location = { ...DEFAULT_LOCATION };
    this.images = [DEFAULT_IMAGE];
    this.scanned = null;
    this.nickName = '微信用户';
  }

  /**
   * The shopper will refuse `permission`: a name from {@link PERMISSIONS} or a scope
   * (`scope.userLocation`). Unknown names are an error listing the known ones.
   */
  refuse(permission) {
    this.refused.add(scopeOf(permission));
  }

  /** Whether the shopper refuses `scope`. */
  refuses(scope) {
    return this.refused.has(scope);
  }

  /** What WeChat's settings page shows: each scope asked for, allowed or not. */
  authSetting() {
    return Object.fromEntries(this.granted);
  }

  /**
   * The settings page: the shopper turns on what the app asked for, unless the scenario keeps
   * it refused; the settings as they are after.
   */
  openSettings() {
    for (const scope of this.granted.keys()) if (!this.refused.has(scope)) this.granted.set(scope, true);
    return this.authSetting();
  }

  /** The shopper will close what `api` opens (`chooseAddress`, `chooseImage`, …) without choosing. */
  cancel(api) {
    this.cancelled.add(String(api).replace(/^wx\./, ''));
  }

  /** Throws WeChat's `cancel` when the scenario made the shopper close what `api` opened. */
  checkCancelled(api) {
    if (this.cancelled.has(api)) throw 'cancel';
  }

  /**
   * WeChat asks the shopper for `scope` (once: a refusal stands until the settings page), and
   * throws its `auth deny` when they refuse.
   */
  ask(scope) {
    if (this.granted.get(scope) === false) throw 'auth deny';
    const allow = !this.refused.has(scope);
    this.granted.set(scope, allow);
    if (!allow) throw 'auth deny';
  }
}

/**
 * The scope a permission's name stands for.
 *
 * ```js
 * scopeOf('location') // 'scope.userLocation'
 * scopeOf('相册') // 'scope.writePhotosAlbum'
 * ```
 */
export function scopeOf(permission) {
  const name = String(permission).trim();
  if (name.startsWith('scope.')) return name;
  const scope = PERMISSIONS[name.toLowerCase()] ?? PERMISSIONS[name];
  if (scope) return scope;
  throw new Error(`"${name}" is not a permission mp-sim knows; it knows ${Object.keys(PERMISSIONS).map((k) => `"${k}"`).join(', ')} and any scope.* name`);
}
