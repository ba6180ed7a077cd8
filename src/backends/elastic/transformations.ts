/**
 * Transformation types of the Elastic targets' own (for their pipelines and for users' pipeline
 * files): pass `elasticTransformations` to the pipeline loader and applyPipelines.
 */
import { defineTransformation, type TransformationDef } from '../../pipeline/index.js';

/**
 * Sysmon's `Initiated: true/false` (the host opened the connection) as ECS network.direction:
 * true → egress, false → ingress. Text values ('true') are left as they are, like the reference.
 */
const networkDirection = defineTransformation<null>({
  scope: 'value',
  parse: () => null,
  expansions: 'skip',
  applyValue(_p, value) {
    if (value.kind !== 'Bool') return undefined;
    return [
      { kind: 'Str', cased: false, parts: [{ kind: 'Lit', text: value.value ? 'egress' : 'ingress' }] },
    ];
  },
});

/** Numbers compared with keyword fields are compared as their text (booleans stay booleans). */
const numbersAsText = defineTransformation<null>({
  scope: 'value',
  parse: () => null,
  expansions: 'skip',
  applyValue(_p, value) {
    if (value.kind !== 'Num') return undefined;
    return [{ kind: 'Str', cased: false, parts: [{ kind: 'Lit', text: value.raw }] }];
  },
});

export const elasticTransformations: Readonly<Record<string, TransformationDef>> = {
  elastic_network_direction: networkDirection,
  elastic_numbers_as_text: numbersAsText,
};
