import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CopyButton } from './CopyButton';

describe('CopyButton', () => {
  it('writes the text to the clipboard and confirms', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText },
      configurable: true,
    });
    render(<CopyButton text="kubectl get svc" label="commands" />);
    await userEvent.click(
      screen.getByRole('button', { name: 'Copy commands' }),
    );
    expect(writeText).toHaveBeenCalledWith('kubectl get svc');
    await waitFor(() =>
      expect(screen.getByRole('tooltip')).toHaveTextContent('Copied'),
    );
  });
});
