export { FreeIpPicker, FREE_IP_PICKER_NAME } from './FreeIpPicker';
export type { FreeIpPickerUiOptions } from './FreeIpPicker';
