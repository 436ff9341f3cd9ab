import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { UnifiedThemeProvider, themes } from '@backstage/theme';
import type { Theme } from '@material-ui/core/styles';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { useLocation } from 'react-router-dom';
import { FreshPermissionCache } from './__testUtils__/FreshPermissionCache';
import {
  FIX_YAML,
  annotatedEntity,
  createMockMetallbApi,
  makeFleetReport,
  makeService,
} from './__testUtils__/fixtures';
import { metallbApiRef, type MetallbApi } from './api';
import { CodeBlock } from './components/CodeBlock';
import { EntityMetallbContent } from './components/EntityMetallbContent';
import { MetallbReportPage } from './components/MetallbReportPage';
import { OwnerChips } from './components/OwnerChips';
import { StatusChip } from './components/StatusChip';
import { SummaryTiles } from './components/SummaryTiles';

// Tabbing through a whole page in jsdom is slow on a busy 2-core CI machine.
jest.setTimeout(60_000);

type User = ReturnType<typeof userEvent.setup>;

/**
 * Presses Tab until the focused element matches, as a keyboard user would; fails when the
 * element is never reached (not focusable, or hidden from the tab order).
 */
async function tabTo(
  user: User,
  matches: (el: Element) => boolean,
  what: string,
): Promise<HTMLElement> {
  for (let i = 0; i < 150; i++) {
    await user.tab();
    const active = document.activeElement;
    if (active && matches(active)) return active as HTMLElement;
  }
  throw new Error(`${what} is not reachable with Tab`);
}

/** Matches the element whose accessible name (aria-label, label or text) is `name`. */
function named(role: string, name: string | RegExp) {
  return (el: Element) =>
    within(el.parentElement ?? document.body)
      .queryAllByRole(role, { name })
      .includes(el as HTMLElement);
}

function Providers(props: { api: MetallbApi; children: ReactNode }) {
  return (
    <FreshPermissionCache>
      <TestApiProvider
        apis={[
          [metallbApiRef, props.api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        {props.children}
      </TestApiProvider>
    </FreshPermissionCache>
  );
}

function LocationProbe() {
  return <output data-testid="location">{useLocation().search}</output>;
}

function stubClipboard() {
  const writeText = jest.fn().mockResolvedValue(undefined);
  // After userEvent.setup(), which installs its own clipboard stub.
  Object.defineProperty(navigator, 'clipboard', {
    value: { writeText },
    configurable: true,
  });
  return writeText;
}

/** Every button and link of the container has a non-empty accessible name. */
function expectAllControlsNamed(container: HTMLElement) {
  const controls = [
    ...within(container).queryAllByRole('button'),
    ...within(container).queryAllByRole('link'),
    ...within(container).queryAllByRole('textbox'),
    ...within(container).queryAllByRole('combobox'),
  ];
  expect(controls.length).toBeGreaterThan(0);
  for (const control of controls) {
    expect(control).toHaveAccessibleName();
  }
}

describe('keyboard and screen-reader access', () => {
  it('entity tab: opens a finding and copies its fix with the keyboard only', async () => {
    const user = userEvent.setup();
    const writeText = stubClipboard();
    const api = createMockMetallbApi();
    const { container } = await renderInTestApp(
      <Providers api={api}>
        <EntityProvider entity={annotatedEntity}>
          <EntityMetallbContent />
        </EntityProvider>
      </Providers>,
    );
    await screen.findByRole('region', { name: /Findings/ });

    const summary = await tabTo(
      user,
      el =>
        el.getAttribute('aria-expanded') === 'false' &&
        /Several controllers act on the Service/.test(el.textContent ?? ''),
      'the first finding',
    );
    await user.keyboard('{Enter}');
    expect(summary).toHaveAttribute('aria-expanded', 'true');

    const copy = await tabTo(
      user,
      named('button', 'Copy YAML: Give the Service to chisel-operator'),
      'the copy button of the fix',
    );
    await user.keyboard(' ');
    expect(writeText).toHaveBeenCalledWith(FIX_YAML);
    expect(copy).toHaveAccessibleName(
      'Copy YAML: Give the Service to chisel-operator',
    );

    // The owner chips carry their evidence in the name, as the tooltip is hover-only otherwise.
    await tabTo(
      user,
      named('listitem', /^chisel-operator: .+/),
      'the chisel-operator owner chip',
    );

    // Scan now, operated with Enter.
    await tabTo(user, named('button', 'Scan now'), 'Scan now');
    await user.keyboard('{Enter}');
    await waitFor(() =>
      expect(api.scan).toHaveBeenCalledWith({ cluster: 'prod' }),
    );

    // The accordion closes with Space too.
    summary.focus();
    await user.keyboard(' ');
    expect(summary).toHaveAttribute('aria-expanded', 'false');
    expectAllControlsNamed(container);
  });

  it('report: reaches exports, scan, filters, sort headers and owner links by Tab and operates them', async () => {
    const user = userEvent.setup();
    const report = makeFleetReport();
    report.items = [
      {
        cluster: 'prod',
        entityRefs: ['component:default/web', 'component:default/shop'],
        service: makeService(),
      },
    ];
    const api = createMockMetallbApi({
      getReport: jest.fn().mockResolvedValue(report),
    });
    const { container } = await renderInTestApp(
      <Providers api={api}>
        <MetallbReportPage />
        <LocationProbe />
      </Providers>,
      {
        routeEntries: ['/metallb'],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    await screen.findByRole('list', { name: 'Summary' });
    await screen.findAllByRole('link', { name: 'component:default/shop' });

    // Labelled filters: each input is found by its visible label.
    for (const name of ['Cluster', 'Rule', 'Severity', 'Controller']) {
      expect(screen.getByRole('combobox', { name })).toBeInTheDocument();
    }
    expect(
      screen.getByRole('textbox', { name: 'Namespace' }),
    ).toBeInTheDocument();

    // Exports: Enter on the link downloads through the API (with the user's token).
    const createObjectURL = jest.fn(() => 'blob:report');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const clicked = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => undefined);
    await tabTo(user, named('link', 'Export CSV'), 'Export CSV');
    await user.keyboard('{Enter}');
    await waitFor(() =>
      expect(api.exportReport).toHaveBeenCalledWith('csv', {}),
    );
    await tabTo(user, named('link', 'Export JSON'), 'Export JSON');
    await tabTo(user, named('link', 'Export Markdown'), 'Export Markdown');
    clicked.mockRestore();

    await tabTo(user, named('button', 'Scan now'), 'Scan now');
    await user.keyboard(' ');
    await waitFor(() => expect(api.scan).toHaveBeenCalledWith());

    await tabTo(user, named('combobox', 'Severity'), 'the Severity filter');
    // The owner entity filter, typed into: the URL (shareable) and the query follow.
    await tabTo(
      user,
      named('textbox', 'Owner entity'),
      'the Owner entity filter',
    );
    await user.keyboard('component:default/shop');
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        'entity=component%3Adefault%2Fshop',
      ),
    );
    await waitFor(() =>
      expect(api.getReport).toHaveBeenLastCalledWith(
        expect.objectContaining({ entity: 'component:default/shop' }),
      ),
    );

    // Sort headers are buttons; Enter sorts by the column.
    const findings = screen.getByRole('region', { name: 'Findings' });
    const header = await tabTo(
      user,
      el => findings.contains(el) && named('button', 'Cluster')(el),
      'the Cluster sort header',
    );
    await user.keyboard('{Enter}');
    // material-table marks the active sort label (it sets no aria-sort).
    await waitFor(() => expect(header.className).toMatch(/active/));

    // Every owner entity of a Service links to its catalog page.
    const owner = await tabTo(
      user,
      named('link', 'component:default/shop'),
      'the owner entity link',
    );
    expect(owner).toHaveAttribute('href', '/catalog/default/component/shop');
    expect(
      within(findings).getAllByRole('link', {
        name: 'component:default/web',
      })[0],
    ).toHaveAttribute('href', '/catalog/default/component/web');
    expectAllControlsNamed(container);
  });
});

describe("Backstage's dark theme", () => {
  // The app's real dark theme (what users pick in Settings), not a bare Material UI palette: its
  // overrides for Paper, Chip and the body are what the components are drawn with.
  const dark = themes.dark.getTheme('v4') as Theme;
  const { palette } = dark;

  /** The colour as the DOM reports it, to compare with computed styles. */
  function css(color: string): string {
    const probe = document.createElement('div');
    probe.style.color = color;
    return probe.style.color;
  }

  /** Like Element.matches, false for selectors jsdom cannot parse (vendor pseudo-elements). */
  function matches(el: Element, selector: string): boolean {
    try {
      return el.matches(selector);
    } catch {
      return false;
    }
  }

  /** Values that the style rules matching the element declare for the property. */
  function declared(el: Element, property: string): string[] {
    return [...document.styleSheets]
      .flatMap(sheet => [...sheet.cssRules])
      .filter(
        (rule): rule is CSSStyleRule =>
          rule instanceof CSSStyleRule && matches(el, rule.selectorText),
      )
      .map(rule => css(rule.style.getPropertyValue(property)))
      .filter(Boolean);
  }

  type Rgba = [number, number, number, number];

  /** `rgb(...)`/`rgba(...)` as jsdom normalises any CSS colour. */
  function rgba(color: string): Rgba {
    const parts =
      css(color)
        .match(/[\d.]+/g)
        ?.map(Number) ?? [];
    expect(parts.length).toBeGreaterThanOrEqual(3);
    const [r, g, b, a = 1] = parts;
    return [r, g, b, a];
  }

  /** A translucent text colour (the dark theme's secondary text is white at 70 %) over its background. */
  function over(fg: Rgba, bg: Rgba): Rgba {
    const a = fg[3];
    return [
      fg[0] * a + bg[0] * (1 - a),
      fg[1] * a + bg[1] * (1 - a),
      fg[2] * a + bg[2] * (1 - a),
      1,
    ];
  }

  /** WCAG 2 contrast ratio; 4.5 is the AA minimum for normal text. */
  function contrast(text: string, background: string): number {
    const bg = rgba(background);
    const luminance = ([r, g, b]: Rgba) => {
      const [lr, lg, lb] = [r, g, b].map(v => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
    };
    const [l1, l2] = [luminance(over(rgba(text), bg)), luminance(bg)].sort(
      (a, b) => b - a,
    );
    return (l1 + 0.05) / (l2 + 0.05);
  }

  it('draws code blocks, chips and summary tiles with the palette, in readable contrast', () => {
    render(
      <UnifiedThemeProvider theme={themes.dark}>
        <CodeBlock title="YAML: fix" code={'kind: Service\n'} />
        <StatusChip status="error" />
        <OwnerChips
          owners={[{ controller: 'metallb', evidence: ['managedFields'] }]}
        />
        <SummaryTiles
          summary={{
            clusters: 2,
            services: 7,
            error: 3,
            warning: 1,
            info: 0,
            ok: 3,
            writeLoops: 0,
          }}
        />
      </UnifiedThemeProvider>,
    );
    // The theme really is dark, so a fixed light colour anywhere would show up below.
    expect(palette.type).toBe('dark');
    expect(contrast('#fff', palette.background.default)).toBeGreaterThan(10);

    const pre = screen.getByLabelText('YAML: fix');
    const preStyle = getComputedStyle(pre);
    expect(preStyle.backgroundColor).toBe(css(palette.background.default));
    expect(preStyle.color).toBe(css(palette.text.primary));
    expect(
      contrast(preStyle.color, preStyle.backgroundColor),
    ).toBeGreaterThanOrEqual(4.5);
    expect(
      screen.getByRole('button', { name: 'Copy YAML: fix' }),
    ).toBeInTheDocument();

    // Chips are outlined or filled on the page: their word keeps the theme's text colour.
    const chip = screen.getByText('Error').closest('.MuiChip-root')!;
    expect(getComputedStyle(chip).color).toBe(css(palette.text.primary));
    expect(
      contrast(getComputedStyle(chip).color, palette.background.default),
    ).toBeGreaterThanOrEqual(4.5);
    // The severity colour marks the border and icon; the word keeps the text colour. jsdom's
    // cascade ignores !important and shorthands, so read what the matching rules declare.
    expect(declared(chip, 'border-color')).toContain(css(palette.error.main));
    expect(declared(chip.querySelector('svg')!, 'color')).toContain(
      css(palette.error.main),
    );
    const owner = getComputedStyle(
      screen.getByText('metallb').closest('.MuiChip-root')!,
    );
    expect(owner.color).toBe(css(palette.text.primary));
    const ownerBackground =
      declared(
        screen.getByText('metallb').closest('.MuiChip-root')!,
        'background-color',
      ).at(-1) ?? palette.background.default;
    expect(contrast(owner.color, ownerBackground)).toBeGreaterThanOrEqual(4.5);

    // The fleet report's tiles: the theme's paper, its number in the primary text colour and its
    // label in the secondary one, both readable on the paper.
    const tile = screen.getByLabelText('Errors: 3');
    const paper = getComputedStyle(tile).backgroundColor;
    expect(paper).toBe(css(palette.background.paper));
    const value = within(tile).getByText('3');
    const label = within(tile).getByText('Errors');
    expect(getComputedStyle(label).color).toBe(css(palette.text.secondary));
    expect(
      contrast(getComputedStyle(label).color, paper),
    ).toBeGreaterThanOrEqual(4.5);
    expect(
      contrast(getComputedStyle(value).color, paper),
    ).toBeGreaterThanOrEqual(4.5);
  });
});
