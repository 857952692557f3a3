import type { OutputFormat } from '../config/types.js';
import type { Inventory } from '../core/model.js';
import type { InventoryDiff } from '../core/diff.js';
import type { CheckResult } from '../core/policy-model.js';

/**
 * What some reports show beside the inventory, computed once by the command for every format: the policy
 * check (`--policy`) and the changes since an earlier run (`--previous`).
 */
export interface ReportContext {
  check?: CheckResult;
  changes?: InventoryDiff;
}

/** One file of a format written as several files: its POSIX path relative to the output folder. */
export interface ReportFile {
  path: string;
  content: string;
}

export interface Reporter {
  /** File name written in the output folder; for a format written per project, the pattern. */
  fileName: string;
  /** The report as one text: the file, or for a format written per project every file one after the other. */
  render(inventory: Inventory, context?: ReportContext): Promise<string>;
  /** Set for a format written as one file per project. */
  files?(inventory: Inventory): Promise<ReportFile[]>;
  /** Set for an SBOM that `--per-project` also writes once per project, as `projects/<project><extension>`. */
  perProjectExtension?: string;
  /** True when the report shows the policy check: the policy is evaluated only when such a report is written. */
  showsPolicy?: boolean;
}

/**
 * Every output format, by the id that `--format` and the config take. Reporters render; they never add
 * data. Each is loaded when first used, so a run pays only for the formats it writes.
 */
export const REPORTERS: Record<OutputFormat, Reporter> = {
  'inventory-json': {
    fileName: 'inventory.json',
    render: async (inventory) => (await import('./inventory-json.js')).renderInventoryJson(inventory),
  },
  'inventory-yaml': {
    fileName: 'inventory.yaml',
    render: async (inventory) => (await import('./inventory-yaml.js')).renderInventoryYaml(inventory),
  },
  'cyclonedx-json': {
    fileName: 'bom.cdx.json',
    render: async (inventory) => (await import('./cyclonedx.js')).renderCycloneDxJson(inventory),
    perProjectExtension: '.cdx.json',
  },
  'cyclonedx-xml': {
    fileName: 'bom.cdx.xml',
    render: async (inventory) => (await import('./cyclonedx.js')).renderCycloneDxXml(inventory),
    perProjectExtension: '.cdx.xml',
  },
  'spdx-json': {
    fileName: 'sbom.spdx.json',
    render: async (inventory) => (await import('./spdx.js')).renderSpdxJson(inventory),
    perProjectExtension: '.spdx.json',
  },
  html: {
    fileName: 'report.html',
    render: async (inventory, context) => (await import('./html.js')).renderHtml(inventory, context),
    showsPolicy: true,
  },
  markdown: {
    fileName: 'report.md',
    render: async (inventory, context) => (await import('./markdown.js')).renderMarkdown(inventory, context),
    showsPolicy: true,
  },
  csv: {
    fileName: 'components.csv',
    render: async (inventory) => (await import('./csv.js')).renderCsv(inventory),
  },
  notice: {
    fileName: 'notices/<project>.txt',
    render: async (inventory) =>
      (await import('./notice.js')).renderNoticesText(inventory, await licenseTexts()),
    files: async (inventory) => (await import('./notice.js')).renderNotices(inventory, await licenseTexts()),
  },
};

async function licenseTexts() {
  return (await import('../licenses/license-texts.js')).spdxLicenseTexts();
}

export { OUTPUT_FORMATS, type OutputFormat } from '../config/types.js';
