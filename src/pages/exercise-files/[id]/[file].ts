// The files an exercise's workspace fetches when it is opened: `en.json` and `zh-CN.json` (starter, tests,
// messages, hints in that language), and `solution.json`, fetched only when the learner asks for the solution.
import type { APIRoute, GetStaticPaths } from 'astro';
import { allExercises, payloadOf, solutionOf } from '../../../components/exercises/catalog-view.ts';

export const getStaticPaths = (() =>
  allExercises().flatMap((ex) => [
    { params: { id: ex.id, file: 'en.json' }, props: { body: payloadOf(ex, 'en') } },
    { params: { id: ex.id, file: 'zh-CN.json' }, props: { body: payloadOf(ex, 'zh-CN') } },
    { params: { id: ex.id, file: 'solution.json' }, props: { body: solutionOf(ex) } },
  ])) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) => new Response(JSON.stringify(props.body), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
