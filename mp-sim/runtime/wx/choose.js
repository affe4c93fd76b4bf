// What WeChat asks the shopper on the app's behalf: an address, a photo, a place, a QR code,
// their profile, subscription messages, the privacy agreement. The answers are the scenario's
// (`User`): refused permissions fail with `auth deny`, a cancelled picker with `cancel`, the
// rest answers what the shopper chose, in WeChat's result shapes.

import { fromBase64 } from './files.js';
import { DEFAULT_IMAGE } from './user.js';

/**
 * The anonymous profile WeChat gives since 2022 (getUserProfile/getUserInfo); the grey
 * avatar is a data URL, so showing it reaches no host.
 */
export function anonymousUser(nickName = '微信用户') {
  return {
    nickName,
    avatarUrl: `data:image/png;base64,${DEFAULT_IMAGE.base64}`,
    gender: 0,
    country: '',
    province: '',
    city: '',
    language: '',
    is_demote: true,
  };
}

export class Chooser {
  /**
   * @param {import('./user.js').User} user
   * @param {import('./files.js').Files} files where chosen photos become temporary files
   */
  constructor(user, files) {
    this.user = user;
    this.files = files;
  }

  /** The scenario's photos as temporary files, at most `count`. */
  photos(count) {
    return this.user.images.slice(0, Math.max(1, Number(count) || 9)).map((image) => {
      const bytes = image.bytes ?? fromBase64(image.base64);
      return { path: this.files.addTemp(bytes, { name: image.name, type: image.type }), size: bytes.length, image };
    });
  }

  apis(async) {
    const user = this.user;
    const profile = () => {
      const userInfo = anonymousUser(user.nickName);
      return { userInfo, rawData: JSON.stringify(userInfo), signature: 'mp-sim', encryptedData: '', iv: '' };
    };
    return {
      chooseAddress: async('chooseAddress', () => {
        user.ask('scope.address');
        user.checkCancelled('chooseAddress');
        return { ...user.address };
      }),
      chooseInvoiceTitle: async('chooseInvoiceTitle', () => {
        user.ask('scope.invoiceTitle');
        user.checkCancelled('chooseInvoiceTitle');
        return { type: 1, title: user.address.userName, taxNumber: '', companyAddress: '', telephone: user.address.telNumber, bankName: '', bankAccount: '' };
      }),
      chooseImage: async('chooseImage', (args) => {
        user.checkCancelled('chooseImage');
        const photos = this.photos(args.count);
        return { tempFilePaths: photos.map((p) => p.path), tempFiles: photos.map((p) => ({ path: p.path, size: p.size })) };
      }),
      chooseMedia: async('chooseMedia', (args) => {
        user.checkCancelled('chooseMedia');
        const photos = this.photos(args.count);
        return {
          type: 'image',
          tempFiles: photos.map((p) => ({ tempFilePath: p.path, size: p.size, fileType: 'image', width: p.image.width ?? 0, height: p.image.height ?? 0, duration: 0, thumbTempFilePath: '' })),
        };
      }),
      chooseMessageFile: async('chooseMessageFile', (args) => {
        user.checkCancelled('chooseMessageFile');
        const photos = this.photos(args.count);
        return { tempFiles: photos.map((p) => ({ path: p.path, size: p.size, name: p.image.name, type: 'image', time: Math.floor(Date.now() / 1000) })) };
      }),
      previewMedia: async('previewMedia', (args) => {
        if (!Array.isArray(args.sources)) throw 'parameter error: parameter.sources should be Array';
        return {};
      }),
      saveImageToPhotosAlbum: async('saveImageToPhotosAlbum', (args) => {
        if (typeof args.filePath !== 'string' || !args.filePath) throw 'parameter error: parameter.filePath should be String';
        user.ask('scope.writePhotosAlbum');
        return {};
      }),
      saveVideoToPhotosAlbum: async('saveVideoToPhotosAlbum', () => {
        user.ask('scope.writePhotosAlbum');
        return {};
      }),
      getLocation: async('getLocation', () => {
        user.ask('scope.userLocation');
        const { latitude, longitude } = user.location;
        return { latitude, longitude, speed: 0, accuracy: 65, altitude: 0, verticalAccuracy: 65, horizontalAccuracy: 65 };
      }),
      getFuzzyLocation: async('getFuzzyLocation', () => {
        user.ask('scope.userFuzzyLocation');
        const round = (n) => Math.round(n * 100) / 100;
        return { latitude: round(user.location.latitude), longitude: round(user.location.longitude) };
      }),
      chooseLocation: async('chooseLocation', () => {
        user.ask('scope.userLocation');
        user.checkCancelled('chooseLocation');
        return { ...user.location };
      }),
      openLocation: async('openLocation', (args) => {
        if (typeof args.latitude !== 'number' || typeof args.longitude !== 'number') throw 'parameter error: latitude and longitude should be Number';
        return {};
      }),
      scanCode: async('scanCode', () => {
        if (!user.scanned) throw 'cancel';
        return { result: user.scanned, scanType: 'QR_CODE', charSet: 'UTF-8', path: '', rawData: btoa(unescape(encodeURIComponent(user.scanned))) };
      }),
      getUserProfile: async('getUserProfile', (args) => {
        if (typeof args.desc !== 'string' || !args.desc) throw 'desc length does not meet the requirements';
        user.ask('scope.userInfo');
        return profile();
      }),
      getUserInfo: async('getUserInfo', () => profile()),
      requestSubscribeMessage: async('requestSubscribeMessage', (args) => {
        if (!Array.isArray(args.tmplIds) || !args.tmplIds.length) throw 'TmplIds can\'t be empty';
        if (args.tmplIds.length > 3) throw 'Templates count out of max bounds';
        const answer = user.refuses('subscribeMessage') ? 'reject' : 'accept';
        return Object.fromEntries(args.tmplIds.map((id) => [id, answer]));
      }),
      requirePrivacyAuthorize: async('requirePrivacyAuthorize', () => {
        if (user.refuses('privacy')) throw 'privacy permission is not authorized';
        return {};
      }),
      getPrivacySetting: async('getPrivacySetting', () => ({ needAuthorization: false, privacyContractName: '《小程序隐私保护指引》' })),
      openPrivacyContract: async('openPrivacyContract', () => ({})),
    };
  }
}
