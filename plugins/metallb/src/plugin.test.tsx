import {
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import {
  FREE_IP_PICKER_NAME,
  FreeIpPicker,
  MetallbFreeIpPickerFieldExtension,
} from './index';

/** Lists the field extensions found among its children, as the legacy ScaffolderPage does. */
function CollectedFields() {
  const fields = useCustomFieldExtensions(
    <ScaffolderFieldExtensions>
      <MetallbFreeIpPickerFieldExtension />
    </ScaffolderFieldExtensions>,
  );
  return (
    <ul>
      {fields.map(f => (
        <li key={f.name}>
          {f.name}: {f.component === FreeIpPicker ? 'FreeIpPicker' : 'other'}
        </li>
      ))}
    </ul>
  );
}

describe('legacy exports', () => {
  it('offers the free-IP picker as a field extension the scaffolder page collects', async () => {
    await renderInTestApp(<CollectedFields />);
    expect(screen.getByRole('listitem')).toHaveTextContent(
      `${FREE_IP_PICKER_NAME}: FreeIpPicker`,
    );
    expect(FREE_IP_PICKER_NAME).toBe('MetallbFreeIpPicker');
  });
});
