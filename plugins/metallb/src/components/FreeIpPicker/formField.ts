import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { FREE_IP_PICKER_NAME, FreeIpPicker } from './FreeIpPicker';

/** The picker as a new-frontend-system form field, loaded lazily by the blueprint in alpha.tsx. */
export const freeIpPickerFormField = createFormField({
  name: FREE_IP_PICKER_NAME,
  component: FreeIpPicker,
});
